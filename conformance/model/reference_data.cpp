#include "model/reference_data.hpp"

namespace vpstream::conformance {
namespace {
std::filesystem::path& dir() {
  static std::filesystem::path d{VPSTREAM_REFERENCE_DIR};
  return d;
}
}  // namespace

const std::filesystem::path& reference_dir() { return dir(); }
void set_reference_dir(std::filesystem::path d) { dir() = std::move(d); }

}  // namespace vpstream::conformance
