// excited_states and xtb_properties (present when the build has chem/oracle): results on small molecules,
// and a deadline shorter than the programs need returns a timeout error promptly.
#include <gtest/gtest.h>

#include <thread>

#include "tools/default_tools.h"
#include "tools/tool.h"

using namespace retort::tools;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const ToolRegistry& registry() {
  static ToolRegistry r = make_default_registry();
  return r;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST(OracleTools, XtbPropertiesOfWater) {
  if (!registry().contains("xtb_properties")) GTEST_SKIP() << "no chem/oracle in this build";
  auto r = registry().call("xtb_properties", {{"smiles", "O"}}, Deadline::after(60s));
  ASSERT_TRUE(r.ok) << r.error;
  // GFN2-xTB water near its equilibrium geometry: E ~ -5.07 Eh, gap ~ 14.5 eV, dipole ~ 2.2-2.5 D.
  EXPECT_NEAR(r.result["total_energy_hartree"].get<double>(), -5.07, 0.02);
  EXPECT_NEAR(r.result["homo_lumo_gap_ev"].get<double>(), 14.5, 1.0);
  EXPECT_NEAR(r.result["lumo_ev"].get<double>() - r.result["homo_ev"].get<double>(),
              r.result["homo_lumo_gap_ev"].get<double>(), 1e-6);
  EXPECT_GT(r.result["dipole_debye"].get<double>(), 1.5);
  EXPECT_LT(r.result["dipole_debye"].get<double>(), 3.0);
  EXPECT_EQ(r.result["partial_charges"].size(), 3u);
}

TEST(OracleTools, ExcitedStatesOfBenzene) {
  if (!registry().contains("excited_states")) GTEST_SKIP() << "no chem/oracle in this build";
  auto r = registry().call("excited_states", {{"smiles", "c1ccccc1"}}, Deadline::after(120s));
  ASSERT_TRUE(r.ok) << r.error;
  const auto& states = r.result["states"];
  ASSERT_FALSE(states.empty());
  for (size_t i = 1; i < states.size(); ++i)
    EXPECT_LE(states[i - 1]["energy_ev"].get<double>(), states[i]["energy_ev"].get<double>());
  // Benzene's first singlet excitations lie in the UV (experiment: 254 nm, 5.0 eV).
  double nm = r.result["lowest_excitation"]["wavelength_nm"];
  EXPECT_GT(nm, 150);
  EXPECT_LT(nm, 320);
}

TEST(OracleTools, DeadlineOverrunIsATimeoutAndTheNextCallWorks) {
  if (!registry().contains("excited_states")) GTEST_SKIP() << "no chem/oracle in this build";
  auto start = std::chrono::steady_clock::now();
  auto r = registry().call("excited_states", {{"smiles", "CCCCCCCCCCCCCCCCCC(=O)OCC(O)CO"}},
                           Deadline::after(400ms));
  EXPECT_FALSE(r.ok);
  EXPECT_LT(seconds_since(start), 2.0);
  // Either Tool::call gave up at the deadline ("timed out after") or the oracle killed xtb first ("timeout: ").
  bool timeout = r.error.find("timed out") != std::string::npos || r.error.find("timeout") != std::string::npos;
  EXPECT_TRUE(timeout) << r.error;
  auto next = registry().call("calculator", {{"expression", "2^10"}}, Deadline::after(5s));
  ASSERT_TRUE(next.ok) << next.error;
  EXPECT_EQ(next.result["value"], 1024.0);
  // The abandoned oracle call ends soon (its programs got the call's deadline); waiting for it also keeps
  // the process from exiting under a running tool thread (static destructors under it abort the test).
  auto waited = std::chrono::steady_clock::now();
  while (abandoned_calls_running() > 0 && seconds_since(waited) < 30) std::this_thread::sleep_for(20ms);
  EXPECT_EQ(abandoned_calls_running(), 0);
}
