// The text forms of the oracle settings (chem/oracle/oracle_spec.h): each form sets the fields it
// names, and bad text is a one-line error quoting it. The chosen calibration's spelling must give the
// cache key the calibration runs stored (chem/oracle/README.md).
#include <gtest/gtest.h>

#include <stdexcept>

#include "chem/oracle/oracle_spec.h"

using namespace retort::chem::oracle;

namespace {

std::string error_of(void (*parse)(const std::string&, OracleSettings&), const std::string& text) {
  OracleSettings s;
  try {
    parse(text, s);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(OracleSpec, ChosenCalibrationSpelling) {
  OracleSettings s;
  apply_conformer_spec("etkdg:10", s);
  apply_geometry_spec("gfn2:crude", s);
  apply_ci_spec("30,15", s);
  apply_pick_spec("first", s);
  apply_pick_f_spec("window:0.1", s);
  apply_wavelength_fit_spec("0.9313,21.2", s);
  EXPECT_EQ(s.settings_text(), "v=1;conformer=rdkit_etkdg*10;seed=42;geometry=gfn2;gfn2_opt=crude;gap=1;ci=30,15;maxci=400;wrtci=20");
  EXPECT_EQ(s.conformer_count, 10);
  EXPECT_DOUBLE_EQ(s.pick.bright_threshold, 0);
  EXPECT_DOUBLE_EQ(s.pick.f_window_ev, 0.1);
  EXPECT_EQ(s.pick.f_max_lowest, 0);
  EXPECT_DOUBLE_EQ(s.wavelength_scale, 0.9313);
  EXPECT_DOUBLE_EQ(s.wavelength_offset_nm, 21.2);
  EXPECT_DOUBLE_EQ(s.wavelength_gap_coefficient, 0);
}

TEST(OracleSpec, EachFormSetsItsFields) {
  OracleSettings s;
  apply_geometry_spec("gfn2", s);
  EXPECT_EQ(s.geometry, GeometryLevel::gfn2);
  EXPECT_EQ(s.gfn2_opt_level, "normal");
  apply_geometry_spec("gfnff", s);
  EXPECT_EQ(s.geometry, GeometryLevel::gfnff);
  apply_conformer_spec("etkdg:3", s);
  apply_conformer_spec("openbabel", s);
  EXPECT_EQ(s.conformer_method, retort::chem::ConformerMethod::openbabel_mmff94);
  EXPECT_EQ(s.conformer_count, 1);
  apply_pick_spec("bright:0.05", s);
  EXPECT_DOUBLE_EQ(s.pick.bright_threshold, 0.05);
  apply_pick_f_spec("max:3", s);
  EXPECT_EQ(s.pick.f_max_lowest, 3);
  apply_pick_f_spec("same", s);  // resets both f rules
  EXPECT_EQ(s.pick.f_max_lowest, 0);
  EXPECT_DOUBLE_EQ(s.pick.f_window_ev, 0);
  apply_wavelength_fit_spec("1.1,-20,35.5", s);
  EXPECT_DOUBLE_EQ(s.wavelength_scale, 1.1);
  EXPECT_DOUBLE_EQ(s.wavelength_offset_nm, -20);
  EXPECT_DOUBLE_EQ(s.wavelength_gap_coefficient, 35.5);
  apply_wavelength_fit_spec("none", s);
  EXPECT_DOUBLE_EQ(s.wavelength_scale, 1);
  EXPECT_DOUBLE_EQ(s.wavelength_offset_nm, 0);
  EXPECT_DOUBLE_EQ(s.wavelength_gap_coefficient, 0);
}

TEST(OracleSpec, BadTextIsAnErrorQuotingIt) {
  EXPECT_EQ(error_of(apply_geometry_spec, "gfn2:fast"),
            "expected gfnff, gfn2 or gfn2:LEVEL with LEVEL one of crude, sloppy, loose, lax, normal, tight, got 'gfn2:fast'");
  EXPECT_NE(error_of(apply_geometry_spec, "GFNFF"), "");
  EXPECT_NE(error_of(apply_conformer_spec, "etkdg:0"), "");
  EXPECT_NE(error_of(apply_conformer_spec, "etkdg:2.5"), "");
  EXPECT_NE(error_of(apply_conformer_spec, "etkdg:101"), "");
  EXPECT_NE(error_of(apply_conformer_spec, "etkdg:"), "");
  EXPECT_NE(error_of(apply_ci_spec, "15,30"), "");  // m must be below n
  EXPECT_NE(error_of(apply_ci_spec, "30"), "");
  EXPECT_NE(error_of(apply_ci_spec, "30,15,2"), "");
  EXPECT_NE(error_of(apply_ci_spec, "30,x"), "");
  EXPECT_NE(error_of(apply_pick_spec, "bright:-1"), "");
  EXPECT_NE(error_of(apply_pick_f_spec, "window:0"), "");
  EXPECT_NE(error_of(apply_pick_f_spec, "max:0"), "");
  EXPECT_NE(error_of(apply_wavelength_fit_spec, "1"), "");
  EXPECT_NE(error_of(apply_wavelength_fit_spec, "1,2,3,4"), "");
  EXPECT_NE(error_of(apply_wavelength_fit_spec, "1,,2"), "");
  EXPECT_EQ(error_of(apply_ci_spec, "30,15"), "");
}
