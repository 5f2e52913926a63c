# Every third-party dependency as an imported target. All come from Debian except LibTorch (PyPI wheel in .venv).
find_package(Threads REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(Eigen3 REQUIRED NO_MODULE)
find_package(Boost REQUIRED)
find_package(GTest REQUIRED)
include(GoogleTest)
find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs)
find_package(OpenBabel3 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(CAIRO REQUIRED IMPORTED_TARGET cairo)
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)  # Unicode-property regexes (tokenizer pre-split)
find_package(ICU REQUIRED COMPONENTS uc)  # Unicode normalization (NFC) and character properties for the tokenizer

# Debian's RDKit ships no CMake config: one imported target over /usr/lib/libRDKit<Component>.so.
set(RETORT_RDKIT_COMPONENTS
    MolDraw2D Depictor FileParsers ChemTransforms SubstructMatch Fingerprints Descriptors
    PartialCharges MolTransforms DistGeomHelpers DistGeometry ForceFieldHelpers ForceField
    Alignment EigenSolvers Optimizer MolAlign ChemReactions FilterCatalog Catalogs
    ScaffoldNetwork FragCatalog MolStandardize Subgraphs SmilesParse GraphMol DataStructs RDGeometryLib RDGeneral)
add_library(RDKit INTERFACE IMPORTED GLOBAL)
foreach(c ${RETORT_RDKIT_COMPONENTS})
  find_library(RDKIT_${c}_LIB NAMES RDKit${c} PATHS /usr/lib /usr/lib/x86_64-linux-gnu REQUIRED)
  target_link_libraries(RDKit INTERFACE ${RDKIT_${c}_LIB})
endforeach()
target_include_directories(RDKit INTERFACE /usr/include/rdkit)
target_link_libraries(RDKit INTERFACE Boost::boost PkgConfig::CAIRO)
# As /usr/include/rdkit/RDGeneral/RDConfig.h, which RDKit's headers do not include themselves: without
# RDK_BUILD_THREADSAFE_SSS, QueryOps.h drops RecursiveStructureQuery's mutex (a different class
# layout from the library's) and the MMFF/UFF builders' call_once guards.
target_compile_definitions(RDKit INTERFACE RDK_BUILD_CAIRO_SUPPORT RDK_BUILD_THREADSAFE_SSS)

# LibTorch from the pinned wheel: CMake finds it through torch.utils.cmake_prefix_path.
execute_process(COMMAND ${RETORT_PYTHON} -c "import torch.utils; print(torch.utils.cmake_prefix_path)"
                OUTPUT_VARIABLE TORCH_PREFIX OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE torch_rc)
if(NOT torch_rc EQUAL 0)
  message(FATAL_ERROR "No torch in ${RETORT_PYTHON}: run scripts/setup first")
endif()
list(APPEND CMAKE_PREFIX_PATH ${TORCH_PREFIX})

# CUDA: AUTO compiles kernels/ when nvcc exists (runs only where a GPU is present).
set(RETORT_WITH_CUDA OFF)
if(NOT RETORT_CUDA STREQUAL "OFF")
  include(CheckLanguage)
  if(NOT CMAKE_CUDA_COMPILER AND EXISTS /usr/local/cuda/bin/nvcc)
    set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc)
  endif()
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    set(CMAKE_CUDA_RUNTIME_LIBRARY Shared)  # one CUDA runtime, the one torch uses
    set(CMAKE_CUDA_STANDARD 17)              # CMake 3.25 knows no CUDA20 dialect for nvcc
    if(NOT CMAKE_CUDA_ARCHITECTURES)
      set(CMAKE_CUDA_ARCHITECTURES 90)       # H100/H200, the GPUs retort is measured on
    endif()
    set(TORCH_CUDA_ARCH_LIST "9.0")          # skip torch's GPU probe (there is no GPU here)
    enable_language(CUDA)
    set(RETORT_WITH_CUDA ON)
  elseif(RETORT_CUDA STREQUAL "ON")
    message(FATAL_ERROR "RETORT_CUDA=ON but no nvcc found")
  endif()
endif()
message(STATUS "retort: CUDA kernels ${RETORT_WITH_CUDA}")

find_package(Torch REQUIRED)
add_library(retort_torch INTERFACE)
# stdc++ first: libtorch.so exports its own std::filesystem functions, and its remove_all crashes (null
# call) with GCC 12's libstdc++; naming libstdc++ before libtorch makes the dynamic linker bind the system's.
target_link_libraries(retort_torch INTERFACE stdc++ ${TORCH_LIBRARIES})
target_compile_options(retort_torch INTERFACE $<$<COMPILE_LANGUAGE:CXX>:-Wno-unused-parameter -Wno-missing-field-initializers>)
if(RETORT_WITH_CUDA)
  target_compile_definitions(retort_torch INTERFACE RETORT_WITH_CUDA=1)
endif()
