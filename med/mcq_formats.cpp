// MCQ item loading and prompt formatting (see mcq_formats.h).
#include "med/mcq_formats.h"

#include <fstream>

#include "core/errors.h"

namespace retort::med {

McqItem mcq_item_from_json(const nlohmann::json& j, const std::string& where, const std::string& dataset) {
  if (!j.is_object()) throw DataError(where + ": expected a JSON object");
  McqItem item;
  item.dataset = dataset;
  for (const char* key : {"id", "realidx"}) {
    if (j.contains(key) && item.id.empty()) {
      const auto& v = j[key];
      item.id = v.is_string() ? v.get<std::string>() : v.dump();
    }
  }
  const char* question_key = j.contains("question") ? "question" : "QUESTION";
  if (!j.contains(question_key) || !j[question_key].is_string())
    throw DataError(where + ": question: missing or not a string");
  item.question = j[question_key].get<std::string>();

  if (j.contains("options")) {
    const auto& o = j["options"];
    if (o.is_object()) {
      for (const auto& [key, text] : o.items()) {
        if (key.size() != 1 || key[0] < 'A' || key[0] > 'J')
          throw DataError(where + ": options: key '" + key + "' is not a letter A-J");
        if (!text.is_string()) throw DataError(where + ": options." + key + ": must be a string");
        item.options[key[0]] = text.get<std::string>();
      }
    } else if (o.is_array()) {
      if (o.size() > 10) throw DataError(where + ": options: more than 10 options");
      char letter = 'A';
      for (const auto& text : o) {
        if (!text.is_string()) throw DataError(where + ": options: every option must be a string");
        item.options[letter++] = text.get<std::string>();
      }
    } else {
      throw DataError(where + ": options: must be an object {A: text, ...} or an array of texts");
    }
  } else if (j.contains("final_decision")) {
    item.options = {{'A', "yes"}, {'B', "no"}, {'C', "maybe"}};  // PubMedQA's original layout
  } else {
    throw DataError(where + ": options: missing");
  }
  if (item.options.size() < 2) throw DataError(where + ": options: need at least 2, got " + std::to_string(item.options.size()));
  char expected = 'A';
  for (const auto& [letter, text] : item.options) {
    if (letter != expected) throw DataError(where + ": options: letters must run A, B, C... without gaps");
    ++expected;
  }

  if (j.contains("answer_idx")) {
    const auto& a = j["answer_idx"];
    if (a.is_string() && a.get<std::string>().size() == 1) item.answer = a.get<std::string>()[0];
    else if (a.is_number_integer()) item.answer = static_cast<char>('A' + a.get<int>());  // 0-based index
    else throw DataError(where + ": answer_idx: must be a letter or a 0-based index, got " + a.dump());
  } else {
    std::string text = j.contains("answer") && j["answer"].is_string() ? j["answer"].get<std::string>()
                       : j.contains("final_decision") && j["final_decision"].is_string()
                           ? j["final_decision"].get<std::string>()
                           : "";
    for (const auto& [letter, option] : item.options)
      if (normalise_option_text(option) == normalise_option_text(text) && !text.empty()) item.answer = letter;
    if (!item.answer) throw DataError(where + ": answer_idx: missing and the answer text matches no option");
  }
  if (!item.options.count(item.answer))
    throw DataError(where + ": answer_idx: '" + std::string(1, item.answer) + "' is not one of the options");
  if (j.contains("answer") && j["answer"].is_string() && j.contains("answer_idx") &&
      normalise_option_text(j["answer"].get<std::string>()) != normalise_option_text(item.options[item.answer]))
    throw DataError(where + ": answer: text does not match option " + std::string(1, item.answer));
  if (j.contains("meta") && j["meta"].is_object()) item.meta = j["meta"];
  if (j.contains("meta_info")) item.meta["meta_info"] = j["meta_info"];
  return item;
}

std::vector<McqItem> load_mcq_jsonl(const std::string& path, const std::string& dataset) {
  std::ifstream in(path);
  if (!in) throw IoError(path + ": cannot open for reading");
  std::vector<McqItem> items;
  std::string line;
  for (size_t n = 1; std::getline(in, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = path + " line " + std::to_string(n);
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const std::exception& e) {
      throw DataError(where + ": not valid JSON");
    }
    items.push_back(mcq_item_from_json(j, where, dataset));
    if (items.back().id.empty()) items.back().id = dataset + "-" + std::to_string(n);
  }
  return items;
}

std::string mcq_prompt(const McqItem& item) {
  std::string p = item.question + "\n\n";
  for (const auto& [letter, text] : item.options) p += std::string(1, letter) + ". " + text + "\n";
  p += "\nThink step by step inside <think>...</think>, then give the letter of the one correct option "
       "inside <answer>...</answer>.";
  return p;
}

nlohmann::json mcq_task_line(const McqItem& item) {
  nlohmann::json options = nlohmann::json::object();
  for (const auto& [letter, text] : item.options) options[std::string(1, letter)] = text;
  nlohmann::json meta = item.meta;
  meta["options"] = options;
  meta["dataset"] = item.dataset;
  return {{"id", item.id}, {"task", "mcq"}, {"prompt", mcq_prompt(item)},
          {"answer", std::string(1, item.answer)}, {"meta", meta}};
}

}  // namespace retort::med
