// Molecule pictures: PNG from MolDraw2DCairo, chem::Image (3, H, W) in [-1, 1], same molecule -> same
// pixels (also across SMILES spellings), different molecules -> different pixels, grid PNG with captions.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "chem/image.h"

using namespace retort::chem;

TEST(Image, PngDecodesAtRequestedSize) {
  auto png = render_png(Molecule::from_smiles("CC(=O)Oc1ccccc1C(=O)O"));
  ASSERT_GT(png.size(), 8u);
  EXPECT_EQ(png[1], 'P');
  EXPECT_EQ(png[2], 'N');
  EXPECT_EQ(png[3], 'G');
  cv::Mat img = cv::imdecode(png, cv::IMREAD_COLOR);
  EXPECT_EQ(img.cols, 224);
  EXPECT_EQ(img.rows, 224);
  auto wide = cv::imdecode(render_png(Molecule::from_smiles("CCO"), 320, 160), cv::IMREAD_COLOR);
  EXPECT_EQ(wide.cols, 320);
  EXPECT_EQ(wide.rows, 160);
}

TEST(Image, NormalisedChwWithInk) {
  auto img = render_image(Molecule::from_smiles("c1ccccc1O"), 128, 96);
  ASSERT_EQ(img.c, 3);
  ASSERT_EQ(img.h, 96);
  ASSERT_EQ(img.w, 128);
  ASSERT_EQ(img.data.size(), 3u * 96 * 128);
  auto [lo, hi] = std::minmax_element(img.data.begin(), img.data.end());
  EXPECT_GE(*lo, -1.0f);
  EXPECT_LE(*hi, 1.0f);
  EXPECT_FLOAT_EQ(img.data[0], 1.0f);  // white background corner, (255/255 - 0.5) / 0.5
  EXPECT_LT(*lo, -0.5f);               // dark bond lines exist
  // The oxygen is drawn red: some pixel with red high and green/blue low.
  const size_t plane = 96 * 128;
  bool red = false;
  for (size_t i = 0; i < plane; ++i) red |= img.data[i] > 0.6f && img.data[plane + i] < -0.3f && img.data[2 * plane + i] < -0.3f;
  EXPECT_TRUE(red);
}

TEST(Image, SameMoleculeSamePixels) {
  auto a = render_image(Molecule::from_smiles("CC(=O)Oc1ccccc1C(=O)O"));
  auto b = render_image(Molecule::from_smiles("CC(=O)Oc1ccccc1C(=O)O"));
  EXPECT_EQ(a.data, b.data);
  auto c = render_image(Molecule::from_smiles("OC(=O)c1ccccc1OC(C)=O"));  // another spelling
  EXPECT_EQ(a.data, c.data);
  auto d = render_image(Molecule::from_smiles("OC(=O)c1ccccc1O"));
  EXPECT_NE(a.data, d.data);
}

TEST(Image, GridWithCaptions) {
  auto path = (std::filesystem::temp_directory_path() / "retort_chem_grid_test.png").string();
  std::vector<Molecule> mols = {Molecule::from_smiles("CC(=O)Oc1ccccc1C(=O)O"), Molecule::from_smiles("CN1C=NC2=C1C(=O)N(C(=O)N2C)C"),
                                Molecule::from_smiles("CC(C)Cc1ccc(C(C)C(=O)O)cc1"), Molecule::from_smiles("CCO"),
                                Molecule::from_smiles("c1ccc2ccccc2c1")};
  write_grid_png(path, mols, {"aspirin", "caffeine", "ibuprofen", "ethanol", "naphthalene"}, 3, 200);
  cv::Mat grid = cv::imread(path, cv::IMREAD_COLOR);
  EXPECT_EQ(grid.cols, 600);
  EXPECT_EQ(grid.rows, 400);
  if (const char* keep = std::getenv("RETORT_CHEM_IMAGE_OUT")) {  // for looking at the pictures by eye
    std::filesystem::copy_file(path, std::string(keep) + "/grid.png", std::filesystem::copy_options::overwrite_existing);
    auto png = render_png(mols[0]);
    std::ofstream(std::string(keep) + "/aspirin.png", std::ios::binary).write(reinterpret_cast<const char*>(png.data()), png.size());
  }
  EXPECT_THROW(write_grid_png(path, mols, {"too few"}), ChemError);
  EXPECT_THROW(write_grid_png(path, {}, {}), ChemError);
  EXPECT_THROW(render_png(mols[0], 0, 10), ChemError);
  std::filesystem::remove(path);
}
