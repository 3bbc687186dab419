// Where the reference data (traces/reference: entity vectors, vp-trace/1 files) is read from:
// the source tree's copy by default (compile definition), or --reference-dir.
#pragma once

#include <filesystem>

namespace vpstream::conformance {

const std::filesystem::path& reference_dir();
void set_reference_dir(std::filesystem::path dir);

}  // namespace vpstream::conformance
