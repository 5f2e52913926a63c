// Molecule pictures: RDKit MolDraw2DCairo -> RGB, OpenCV for decode/resize, and chem::Image, the
// float CHW buffer that crosses into the model (DESIGN.md). Same molecule -> same pixels.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "chem/molecule.h"

namespace retort::chem {

struct Image {
  int h = 0, w = 0, c = 0;
  std::vector<float> data;  // (c, h, w), normalised to mean 0.5 / std 0.5 per channel -> [-1, 1]
};

// PNG bytes of the 2D depiction.
std::vector<uint8_t> render_png(const Molecule& mol, int width = 224, int height = 224);
// Normalised CHW float image of the depiction.
Image render_image(const Molecule& mol, int width = 224, int height = 224);
// A grid of depictions with captions under each, written as PNG (for run reports).
void write_grid_png(const std::string& path, const std::vector<Molecule>& mols,
                    const std::vector<std::string>& captions, int columns = 4, int cell = 250);

}  // namespace retort::chem
