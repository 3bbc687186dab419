// Fuzz target: arbitrary bytes into the entity decoder under several option sets. Whenever an
// entity decodes, it must re-encode canonically and decode back to an equal entity, the
// incremental Decoder must agree with decode_one, and the VEJ form must round-trip.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <vector>

#include "codec/decoder.hpp"
#include "codec/encoder.hpp"
#include "codec/error.hpp"
#include "entity/convert.hpp"
#include "entity/vej.hpp"

namespace {

using namespace versile;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "entity_decode_fuzzer: %s\n", what);
  std::abort();
}

void check(bool ok, const char* what) {
  if (!ok) fail(what);
}

// Strings in decoded entities must be valid UTF-8 by the entity layer's own validator too.
void check_strings(const Entity& e, std::size_t depth = 0) {
  if (depth > 100000) fail("entity deeper than any limit allows");
  if (const auto* s = e.get_if<String>()) {
    check(is_valid_utf8(s->str()), "decoded string is not valid UTF-8");
  } else if (const auto* t = e.get_if<Tuple>()) {
    for (const auto& item : *t) check_strings(item, depth + 1);
  } else if (const auto* x = e.get_if<Exception>()) {
    for (const auto& item : x->args) check_strings(item, depth + 1);
  } else if (const auto* g = e.get_if<Tagged>()) {
    for (const auto& item : g->parts()) check_strings(item, depth + 1);
  } else if (const auto* f = e.get_if<Float>()) {
    check(f->base >= Integer(2), "decoded float with base < 2");
    // Peer-chosen triples through the double conversions (bounded work, consistent results).
    const double nearest = nearest_double(*f);
    if (const auto exact = f->to_double()) {
      check(nearest == *exact, "nearest_double differs from an exact to_double");
      check(Float::from_double(*exact).to_double() == exact, "from_double/to_double round trip failed");
    }
  }
}

codec::DecodeOptions options(std::optional<StringCodec> peer_codec, std::size_t max_bytes, std::size_t max_depth,
                             std::size_t max_elements) {
  codec::DecodeOptions o;
  o.peer_codec = peer_codec;
  o.allow_raw_references = true;
  o.limits.max_entity_bytes = max_bytes;
  o.limits.max_depth = max_depth;
  o.limits.max_elements = max_elements;
  return o;
}

void round_trip(const Entity& e, const codec::DecodeOptions& decoded_with) {
  check_strings(e);
  // Re-encode in the codec the decoder assumed for f4 (or f5 utf8 without one).
  codec::EncodeOptions eo;
  eo.channel_codec = decoded_with.peer_codec;
  codec::OutputBuffer out;
  check(!codec::encode(e, out, eo), "a decoded entity does not encode");
  const std::vector<std::uint8_t> first = out.flatten();
  check(first.size() == out.size(), "OutputBuffer size disagrees with its contents");

  // Canonical re-encoding can be longer than the input (e.g. UTF-16 → UTF-8), so decode it
  // with the default limits; depth and element counts are unchanged.
  codec::DecodeOptions again_opts = decoded_with;
  again_opts.limits = codec::Limits{};
  again_opts.limits.max_depth = decoded_with.limits.max_depth;
  const auto again = codec::decode_one(first, again_opts);
  check(again.entity.has_value(), "re-encoded entity does not decode");
  check(again.consumed == first.size(), "re-encoded entity decodes with a different length");
  check(*again.entity == e, "re-encoded entity decodes to a different entity");
  check(again.entity->hash() == e.hash(), "equal entities hash differently");
  check(codec::encode_to_vector(*again.entity, eo) == first, "canonical encoding is not stable");

  // VEJ round trip (raw references are representable).
  const Entity from_json = from_vej(to_vej(e), decoded_with.limits.max_depth + 2);
  check(from_json == e, "VEJ round trip changed the entity");
  (void)to_display_string(e);
}

// Feeds `input` to the incremental decoder in chunks whose sizes come from `seed` and checks
// it agrees with decode_one on the same bytes.
void check_incremental(std::span<const std::uint8_t> input, const codec::DecodeOptions& opts,
                       const codec::DecodeOneResult& whole, std::uint8_t seed) {
  codec::Decoder decoder(opts);
  std::size_t pos = 0;
  std::size_t chunk = 1 + seed % 7;
  codec::Decoder::Result r;
  while (true) {
    const std::size_t n = std::min(chunk, input.size() - pos);
    r = decoder.feed(input.subspan(pos, n));
    check(r.consumed <= n, "Decoder consumed more than it was given");
    pos += r.consumed;
    if (r.status != codec::Decoder::Status::need_more || pos == input.size()) break;
    chunk = chunk * 3 % 11 + 1;
  }
  switch (r.status) {
    case codec::Decoder::Status::complete: {
      const Entity e = decoder.take();
      // decode_one saw the same bytes: it either decoded them or found trailing bytes.
      if (whole.entity) {
        check(pos == input.size() && e == *whole.entity, "incremental and whole decode disagree");
      } else {
        check(whole.error == codec::Errc::trailing_bytes && whole.consumed == pos,
              "incremental decode completed where decode_one did not");
      }
      break;
    }
    case codec::Decoder::Status::need_more:
      check(pos == input.size() && whole.incomplete, "incremental decoder wants more, decode_one did not");
      break;
    case codec::Decoder::Status::error:
      check(!whole.entity && !whole.incomplete, "incremental decoder failed, decode_one did not");
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  const codec::DecodeOptions option_sets[] = {
      options(StringCodec::utf8, codec::Limits{}.max_entity_bytes, codec::Limits{}.max_depth,
              codec::Limits{}.max_elements),
      options(StringCodec::utf8, 64, 8, 16),         // small limits
      options(StringCodec::utf16, 4096, 300, 1000),  // f4 in UTF-16
      options(std::nullopt, 1 << 20, 64, 1 << 16),   // no peer codec: f4 rejected
  };
  for (std::size_t i = 0; i < std::size(option_sets); ++i) {
    const auto& opts = option_sets[i];
    const auto result = codec::decode_one(input, opts);
    if (result.entity) {
      check(!result.error && result.consumed == size, "decode_one returned an entity and an error");
      round_trip(*result.entity, opts);
    } else {
      check(static_cast<bool>(result.error), "decode_one returned neither an entity nor an error");
      check(result.incomplete == (result.error == codec::Errc::truncated), "incomplete flag mismatch");
    }
    check_incremental(input, opts, result, static_cast<std::uint8_t>(size == 0 ? i : data[0] + i));
  }
  return 0;
}
