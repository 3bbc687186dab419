// Reading and writing vp-trace/1 files (JSON Lines). The reader ignores unknown keys and keeps
// unknown event kinds; it has explicit limits because traces may come from anywhere.
#pragma once

#include <cstddef>
#include <filesystem>
#include <iosfwd>

#include "trace.hpp"

namespace vpstream::traces {

struct ReadLimits {
  std::size_t max_line_bytes = 64u * 1024u * 1024u;
  std::size_t max_lines = 4u * 1024u * 1024u;
};

// Throws TraceError.
Trace read_trace(std::istream& in, const ReadLimits& limits = {});
Trace read_trace_file(const std::filesystem::path& path, const ReadLimits& limits = {});

void write_trace(std::ostream& out, const Trace& trace);
void write_trace_file(const std::filesystem::path& path, const Trace& trace);

}  // namespace vpstream::traces
