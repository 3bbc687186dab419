// A new empty temporary file for harness-built file streamers, removed with its owner.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>

#include "model/context.hpp"

namespace vpstream::conformance {

struct TempFile {
  std::filesystem::path path;
  TempFile() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "vpstream-conform-XXXXXX").string();
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0) abort_with(ErrorCategory::harness_error, "cannot create a temporary file");
    ::close(fd);
    path = tmpl;
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  std::string contents() const {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
};

}  // namespace vpstream::conformance
