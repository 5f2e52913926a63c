// Molecule pictures: RDKit MolDraw2DCairo draws the molecule rebuilt from its canonical SMILES (so any
// spelling of one molecule gives one picture) to PNG; OpenCV decodes it into chem::Image (CHW, RGB,
// (x/255 - 0.5) / 0.5); grids of many molecules with captions for run reports.
#include "chem/image.h"

#include <GraphMol/MolDraw2D/MolDraw2DCairo.h>
#include <GraphMol/MolDraw2D/MolDraw2DUtils.h>
#include <GraphMol/SmilesParse/SmilesParse.h>
#include <GraphMol/SmilesParse/SmilesWrite.h>

#include <fstream>

#include "chem/guard.h"
#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace retort::chem {
namespace {

constexpr int kMaxSide = 4096;

void check_size(const char* what, int width, int height) {
  if (width < 16 || height < 16 || width > kMaxSide || height > kMaxSide) {
    throw ChemError(std::string(what) + ": size must be 16..4096 pixels per side, got " + std::to_string(width) +
                    "x" + std::to_string(height));
  }
}

// The molecule re-read from its canonical SMILES, ready to draw (Kekulé form, wedges, 2D coordinates).
std::unique_ptr<RDKit::RWMol> drawable(const Molecule& mol) {
  std::unique_ptr<RDKit::RWMol> canon(RDKit::SmilesToMol(mol.canonical_smiles()));
  if (!canon) canon = std::make_unique<RDKit::RWMol>(mol.rdkit());
  RDKit::MolDraw2DUtils::prepareMolForDrawing(*canon);
  return canon;
}

std::vector<uint8_t> to_bytes(const std::string& s) { return std::vector<uint8_t>(s.begin(), s.end()); }

}  // namespace

std::vector<uint8_t> render_png(const Molecule& mol, int width, int height) {
  return guarded("depiction", mol, [&] {
    check_size("render_png", width, height);
    auto m = drawable(mol);
    RDKit::MolDraw2DCairo drawer(width, height);
    drawer.drawMolecule(*m);
    drawer.finishDrawing();
    return to_bytes(drawer.getDrawingText());
  });
}

Image render_image(const Molecule& mol, int width, int height) {
  return guarded("image", mol, [&] {
    std::vector<uint8_t> png = render_png(mol, width, height);
    cv::Mat bgr = cv::imdecode(png, cv::IMREAD_COLOR);
    if (bgr.empty()) throw ChemError("render_image: OpenCV could not decode RDKit's PNG");
    if (bgr.cols != width || bgr.rows != height) {
      cv::resize(bgr, bgr, cv::Size(width, height), 0, 0, cv::INTER_AREA);
    }
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    Image img;
    img.h = height;
    img.w = width;
    img.c = 3;
    img.data.resize(static_cast<size_t>(3) * height * width);  // (3, H, W)
    const size_t plane = static_cast<size_t>(height) * width;
    for (int y = 0; y < height; ++y) {
      const uint8_t* row = rgb.ptr<uint8_t>(y);
      for (int x = 0; x < width; ++x) {
        for (int ch = 0; ch < 3; ++ch) {
          img.data[ch * plane + static_cast<size_t>(y) * width + x] = (row[3 * x + ch] / 255.0f - 0.5f) / 0.5f;
        }
      }
    }
    return img;
  });
}

void write_grid_png(const std::string& path, const std::vector<Molecule>& mols, const std::vector<std::string>& captions,
                    int columns, int cell) {
  if (mols.empty()) throw ChemError("write_grid_png: no molecules for " + path);
  if (!captions.empty() && captions.size() != mols.size()) {
    throw ChemError("write_grid_png: " + std::to_string(mols.size()) + " molecules but " +
                    std::to_string(captions.size()) + " captions");
  }
  if (columns < 1) throw ChemError("write_grid_png: columns must be >= 1, got " + std::to_string(columns));
  const int cols = std::min<int>(columns, static_cast<int>(mols.size()));
  const int rows = (static_cast<int>(mols.size()) + cols - 1) / cols;
  check_size("write_grid_png cell", cell, cell);
  check_size("write_grid_png", cols * cell, rows * cell);
  std::vector<std::unique_ptr<RDKit::RWMol>> owned;
  std::vector<RDKit::ROMol*> ptrs;
  for (const auto& m : mols) {
    owned.push_back(guarded("grid depiction", m, [&] { return drawable(m); }));
    ptrs.push_back(owned.back().get());
  }
  std::string png;
  try {
    RDKit::MolDraw2DCairo drawer(cols * cell, rows * cell, cell, cell);
    drawer.drawOptions().legendFontSize = 14;
    drawer.drawMolecules(ptrs, captions.empty() ? nullptr : &captions);
    drawer.finishDrawing();
    png = drawer.getDrawingText();
  } catch (const std::exception& e) {
    throw ChemError(std::string("write_grid_png: drawing failed: ") + e.what());
  }
  std::ofstream out(path, std::ios::binary);
  if (!out) throw ChemError("write_grid_png: cannot write " + path);
  out.write(png.data(), static_cast<std::streamsize>(png.size()));
  if (!out) throw ChemError("write_grid_png: write failed for " + path);
}

}  // namespace retort::chem
