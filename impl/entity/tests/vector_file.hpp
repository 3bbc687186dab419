// Reads the reference entity vectors (traces/reference/entity-vectors*.jsonl) for tests.
#pragma once

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace versile::testing {

inline std::vector<nlohmann::json> read_jsonl(const std::string& file_name) {
  const std::string path = std::string(VPSTREAM_REFERENCE_DIR) + "/" + file_name;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<nlohmann::json> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

}  // namespace versile::testing
