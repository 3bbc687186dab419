#include "faults/fault_profile.hpp"

#include <sstream>

namespace vpstream::conformance {

const std::vector<FaultProfile>& builtin_fault_profiles() {
  using namespace std::chrono_literals;
  static const std::vector<FaultProfile> profiles = [] {
    std::vector<FaultProfile> p;
    p.push_back(FaultProfile{});
    // Budget allowances: ~3x what a loaded 2-core machine needs (split1 measured ~16 µs per byte
    // moved at load 12; random pieces average 49 or 256 bytes).
    p.push_back({"split1", FaultProfile::Split::one_byte, 1, 0us, std::nullopt, 50us});
    p.push_back({"splitrand", FaultProfile::Split::random, 97, 0us, std::nullopt, 2us});
    p.push_back({"delay", FaultProfile::Split::random, 512, 200us, std::nullopt, 4us});
    p.push_back({"cut", FaultProfile::Split::none, 0, 0us, std::size_t{200}, 0us});
    return p;
  }();
  return profiles;
}

std::optional<std::vector<FaultProfile>> parse_fault_profiles(const std::string& spec) {
  if (spec == "all") return builtin_fault_profiles();
  std::vector<FaultProfile> out;
  std::istringstream in(spec);
  std::string name;
  while (std::getline(in, name, ',')) {
    bool found = false;
    for (const auto& p : builtin_fault_profiles()) {
      if (p.name == name) {
        out.push_back(p);
        found = true;
      }
    }
    if (!found) return std::nullopt;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

}  // namespace vpstream::conformance
