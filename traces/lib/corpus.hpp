// Traces in, corpora out: every recorded trace seeds the fuzzers. Each direction's whole byte
// stream becomes a seed of the link-input target, and each message unit a seed of the entity
// decoder target; files are named by the SHA-256 of their content, so re-exporting is idempotent.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "trace.hpp"

namespace vpstream::traces {

std::array<std::uint8_t, 32> sha256(std::span<const std::uint8_t> data);
std::string sha256_hex(std::span<const std::uint8_t> data);

struct CorpusExport {
  std::size_t written = 0;  // new files
  std::size_t existing = 0; // already present (same digest)
};

// Writes into <out>/vec_stream/ (direction streams, VEC header included) and
// <out>/entity_decoder/ (single message units).
CorpusExport export_corpus(const Trace& trace, const std::filesystem::path& out);

}  // namespace vpstream::traces
