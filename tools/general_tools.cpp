// calculator and unit_convert as tools: schemas, descriptions, and errors turned into ToolError.
#include "tools/general_tools.h"

#include "tools/calculator.h"
#include "tools/function_tool.h"
#include "tools/unit_convert.h"

namespace retort::tools {

using nlohmann::json;
using nlohmann::ordered_json;

std::shared_ptr<Tool> make_calculator_tool() {
  ordered_json parameters = {
      {"type", "object"},
      {"properties",
       {{"expression",
         {{"type", "string"},
          {"description",
           "Arithmetic: numbers (1.5e-3), + - * / ^, parentheses, pi, e, and sqrt, cbrt, exp, ln, log (base 10), "
           "log2, sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, abs, floor, ceil, round, min, max, pow. "
           "Angles in radians."},
          {"minLength", 1},
          {"maxLength", 1000}}}}},
      {"required", {"expression"}},
      {"additionalProperties", false}};
  return make_function_tool(
      "calculator", "Evaluate an arithmetic expression exactly as written and return its numeric value.", parameters,
      [](const json& args, const Deadline&) -> json {
        try {
          return {{"value", evaluate_arithmetic(args["expression"].get<std::string>())}};
        } catch (const CalculatorError& e) {
          throw ToolError(e.what());
        }
      });
}

std::shared_ptr<Tool> make_unit_convert_tool() {
  ordered_json parameters = {
      {"type", "object"},
      {"properties",
       {{"value", {{"type", "number"}, {"description", "The quantity to convert."}}},
        {"from",
         {{"type", "string"},
          {"description",
           "Unit of value, e.g. g, mg, kg, lb, Da, m, nm, angstrom, L, mL, mol, mmol, M, mM, uM, mg/mL, mg/dL, "
           "g/L, K, C, F, J, kJ, kcal, eV, hartree, kJ/mol, kcal/mol, cm-1, Hz, Pa, bar, atm, torr, mmHg, s, min, "
           "h. Case-sensitive (mM is millimolar, mm millimetre)."},
          {"minLength", 1},
          {"maxLength", 40}}},
        {"to", {{"type", "string"}, {"description", "Target unit (same spellings)."}, {"minLength", 1},
                {"maxLength", 40}}},
        {"molar_mass",
         {{"type", "number"},
          {"description", "g/mol; needed only for mass <-> amount and mass <-> molar concentration."},
          {"minimum", 0}}}}},
      {"required", {"value", "from", "to"}},
      {"additionalProperties", false}};
  return make_function_tool(
      "unit_convert",
      "Convert a value between units of mass, length, volume, amount, concentration, temperature, energy "
      "(including kJ/mol, kcal/mol, eV, cm-1, and photon wavelength nm <-> eV), pressure and time.",
      parameters, [](const json& args, const Deadline&) -> json {
        std::optional<double> molar_mass;
        if (args.contains("molar_mass")) molar_mass = args["molar_mass"].get<double>();
        try {
          UnitConversion c = convert_units(args["value"].get<double>(), args["from"].get<std::string>(),
                                           args["to"].get<std::string>(), molar_mass);
          return {{"value", c.value}, {"unit", c.to}, {"from_unit", c.from}, {"conversion", c.quantity}};
        } catch (const UnitError& e) {
          throw ToolError(e.what());
        }
      });
}

}  // namespace retort::tools
