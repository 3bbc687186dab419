// Incremental entity decoder: push bytes in chunks of any size, get whole entities out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <system_error>

#include "codec/limits.hpp"
#include "codec/reference_resolver.hpp"
#include "entity/entity.hpp"

namespace versile::codec {

struct DecodeOptions {
  Limits limits;
  // The codec the peer announced in its VEC hello (for f4 strings); nullopt rejects f4.
  std::optional<StringCodec> peer_codec = StringCodec::utf8;
  // Resolves fc/fd; without one, references decode as raw ObjectRefs.
  ReferenceResolver* refs = nullptr;
  // With refs == nullptr: reject references instead of decoding them raw.
  bool allow_raw_references = true;
};

// Sans-I/O and iterative (no recursion): the header section is parsed with an explicit stack,
// then payloads are read last-to-first (entities.md §6) straight into their final buffers (one
// copy). Limits are checked against declared lengths and counts before anything is allocated.
// References are resolved through DecodeOptions::refs during the header pass, in wire order.
// Decoded strings never carry an explicit codec: re-encoding gives the canonical form (§7).
class Decoder {
 public:
  enum class Status { need_more, complete, error };
  struct Result {
    std::size_t consumed = 0;  // bytes of `input` used; never past the end of one entity
                               // (on error: up to and including the offending byte)
    Status status = Status::need_more;
    std::error_code error;
  };

  explicit Decoder(DecodeOptions opts = {});
  ~Decoder();
  Decoder(Decoder&&) noexcept;
  Decoder& operator=(Decoder&&) noexcept;

  // Consumes bytes until one entity is complete, more input is needed, or an error occurs.
  // After `complete`, call take(); after `error` the decoder stays failed until reset().
  Result feed(std::span<const std::uint8_t> input);
  // The completed entity; resets the decoder for the next one.
  Entity take();
  void reset();
  // Bytes of the current (incomplete) entity consumed so far.
  std::size_t bytes_in_progress() const noexcept;

  // Zero-copy input for large byte payloads: while the decoder is reading a Bytes payload with
  // at least `min_size` bytes still missing, the rest of its final buffer, so the caller can
  // read the input straight into it (instead of into its own buffer and then feed()). `owner`
  // keeps the memory alive while such a read is in flight. Empty otherwise.
  struct DirectInput {
    std::shared_ptr<void> owner;
    std::span<std::uint8_t> window;
  };
  DirectInput direct_input(std::size_t min_size);
  // `n` bytes were written at the start of the window returned by direct_input() (nothing else
  // was fed since). Continues decoding like feed(); `consumed` is 0 (nothing of a caller's
  // buffer was used). An unexpected window (the decoder moved on) is Errc::direct_input_mismatch.
  Result commit_direct(const std::uint8_t* window_start, std::size_t n);
  const DecodeOptions& options() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// Decodes exactly one entity from a complete buffer: truncated → Errc::truncated, extra bytes
// after the entity → Errc::trailing_bytes.
struct DecodeOneResult {
  std::optional<Entity> entity;
  std::error_code error;
  bool incomplete = false;  // input was a valid prefix (error == Errc::truncated)
  std::size_t consumed = 0;
};
DecodeOneResult decode_one(std::span<const std::uint8_t> input, const DecodeOptions& opts = {});

}  // namespace versile::codec
