// The pool file: round trip, ranking and top-k means on known scores, dropping an unfinished round,
// atomic writes, malformed rows.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "al/molecule_pool.h"

using namespace retort::al;
namespace fs = std::filesystem;

namespace {
fs::path temp_dir(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("retort_al_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}
}  // namespace

TEST(AlPool, RankingTopMeansAndRoundTrip) {
  MoleculePool pool({"f_osc", "wavelength"});
  EXPECT_TRUE(pool.add({"CCO", 1, "ok", 0.5, {{"f_osc", 0.5}, {"wavelength", 320}}}));
  EXPECT_TRUE(pool.add({"c1ccccc1", 1, "ok", 1.5, {{"f_osc", 1.5}, {"wavelength", 410.25}}}));
  EXPECT_TRUE(pool.add({"CCN", 2, "xtb_failed", std::nullopt, {}}));
  EXPECT_TRUE(pool.add({"CCC", 2, "ok", 1.0, {{"f_osc", 1.0}, {"wavelength", 350}}}));
  EXPECT_FALSE(pool.add({"CCO", 3, "ok", 9.0, {}}));  // already there
  auto ranked = pool.ranked();
  ASSERT_EQ(ranked.size(), 3u);
  EXPECT_EQ(ranked[0]->smiles, "c1ccccc1");
  EXPECT_EQ(ranked[2]->smiles, "CCO");
  EXPECT_DOUBLE_EQ(*pool.top_mean(1), 1.5);
  EXPECT_DOUBLE_EQ(*pool.top_mean(2), 1.25);
  EXPECT_DOUBLE_EQ(*pool.top_mean(100), 1.0);

  fs::path dir = temp_dir("pool");
  pool.save((dir / "pool.csv").string());
  EXPECT_FALSE(fs::exists(dir / "pool.csv.tmp"));
  MoleculePool loaded = MoleculePool::load((dir / "pool.csv").string(), {"f_osc", "wavelength"});
  ASSERT_EQ(loaded.size(), 4u);
  EXPECT_EQ(loaded.to_csv(), pool.to_csv());
  EXPECT_EQ(loaded.find("CCN")->status, "xtb_failed");
  EXPECT_FALSE(loaded.find("CCN")->score.has_value());
  EXPECT_DOUBLE_EQ(loaded.find("c1ccccc1")->props.at("wavelength"), 410.25);

  loaded.drop_after_round(1);
  EXPECT_EQ(loaded.size(), 2u);
  EXPECT_FALSE(loaded.contains("CCC"));
  EXPECT_TRUE(loaded.contains("CCO"));
  fs::remove_all(dir);
}

TEST(AlPool, MissingFileIsEmptyAndMalformedRowsNameTheLine) {
  fs::path dir = temp_dir("pool_bad");
  EXPECT_EQ(MoleculePool::load((dir / "none.csv").string(), {"qed", "sa"}).size(), 0u);
  std::ofstream(dir / "bad.csv") << "smiles,round,status,score,qed,sa\nCCO,1,ok,0.5,0.4,2\nCCN,x,ok,,,\n";
  try {
    MoleculePool::load((dir / "bad.csv").string(), {"qed", "sa"});
    FAIL() << "expected an error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("bad.csv line 3"), std::string::npos) << e.what();
  }
  std::ofstream(dir / "other.csv") << "smiles,round,status,score,f_osc\n";
  EXPECT_THROW(MoleculePool::load((dir / "other.csv").string(), {"qed", "sa"}), std::exception);
  fs::remove_all(dir);
}
