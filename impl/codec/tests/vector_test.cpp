// The reference vectors (traces/reference/entity-vectors*.jsonl, entities.md §12) against the
// encoder and the incremental decoder.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include <nlohmann/json.hpp>

#include "codec/decoder.hpp"
#include "codec/encoder.hpp"
#include "codec/error.hpp"
#include "entity/tests/vector_file.hpp"
#include "entity/vej.hpp"
#include "test_support.hpp"

namespace versile::codec {
namespace {

using testing::decode_bytewise;
using testing::decode_random_chunks;
using testing::decode_split;
using testing::from_hex;
using testing::TestResolver;
using testing::to_hex;

struct ValidVector {
  std::string name;
  Entity entity;
  std::vector<std::uint8_t> bytes;
};

const std::vector<nlohmann::json>& all_lines() {
  static const auto lines = versile::testing::read_jsonl("entity-vectors.jsonl");
  return lines;
}

const std::vector<ValidVector>& valid_vectors() {
  static const auto vectors = [] {
    std::vector<ValidVector> out;
    for (const auto& j : all_lines()) {
      if (!j.contains("hex")) continue;
      out.push_back({j.at("name").get<std::string>(), from_vej(j.at("entity")),
                     from_hex(j.at("hex").get<std::string>())});
    }
    return out;
  }();
  return vectors;
}

bool has_references(const Entity& e) {
  if (e.is<ObjectRef>()) return true;
  std::span<const Entity> children;
  if (const auto* t = e.get_if<Tuple>()) children = t->span();
  if (const auto* x = e.get_if<Exception>()) children = x->args.span();
  if (const auto* g = e.get_if<Tagged>()) children = g->parts().span();
  for (const Entity& c : children) {
    if (has_references(c)) return true;
  }
  return false;
}

TEST(ReferenceVectors, FileHasExpectedShape) {
  std::size_t valid = 0, invalid = 0;
  for (const auto& j : all_lines()) (j.contains("hex") ? valid : invalid)++;
  // Guards against silently testing an empty or truncated file.
  EXPECT_GE(valid, 400u);
  EXPECT_GE(invalid, 150u);
}

TEST(ReferenceVectors, EncodeGivesReferenceBytes) {
  for (const auto& v : valid_vectors()) {
    SCOPED_TRACE(v.name);
    OutputBuffer out;
    ASSERT_FALSE(encode(v.entity, out)) << v.name;
    EXPECT_EQ(to_hex(out.flatten()), to_hex(v.bytes)) << v.name;
    EXPECT_EQ(out.size(), v.bytes.size());
  }
}

TEST(ReferenceVectors, DecodeWholeGivesEntity) {
  for (const auto& v : valid_vectors()) {
    SCOPED_TRACE(v.name);
    const DecodeOneResult r = decode_one(v.bytes);
    ASSERT_FALSE(r.error) << v.name << ": " << r.error.message();
    ASSERT_TRUE(r.entity.has_value());
    EXPECT_EQ(*r.entity, v.entity) << v.name << ": got " << *r.entity;
    EXPECT_EQ(r.consumed, v.bytes.size());
  }
}

TEST(ReferenceVectors, DecodeWithResolverOwningEveryId) {
  for (const auto& v : valid_vectors()) {
    SCOPED_TRACE(v.name);
    TestResolver resolver = TestResolver::owning_everything();
    DecodeOptions opts;
    opts.refs = &resolver;
    const DecodeOneResult r = decode_one(v.bytes, opts);
    ASSERT_FALSE(r.error) << v.name << ": " << r.error.message();
    EXPECT_EQ(*r.entity, v.entity) << v.name;
    EXPECT_EQ(resolver.decode_calls > 0, has_references(v.entity)) << v.name;
  }
}

TEST(ReferenceVectors, DecodeByteByByte) {
  for (const auto& v : valid_vectors()) {
    SCOPED_TRACE(v.name);
    const auto r = decode_bytewise(v.bytes);
    ASSERT_EQ(r.status, Decoder::Status::complete) << v.name << ": " << r.error.message();
    EXPECT_EQ(*r.entity, v.entity) << v.name;
    EXPECT_EQ(r.consumed, v.bytes.size());
  }
}

TEST(ReferenceVectors, DecodeInTwoChunksAtEverySplitPoint) {
  std::size_t decodes = 0;
  for (const auto& v : valid_vectors()) {
    if (v.bytes.size() > 400) continue;
    for (std::size_t split = 0; split <= v.bytes.size(); ++split) {
      const auto r = decode_split(v.bytes, split);
      ASSERT_EQ(r.status, Decoder::Status::complete) << v.name << " split " << split;
      ASSERT_EQ(*r.entity, v.entity) << v.name << " split " << split;
      ASSERT_EQ(r.consumed, v.bytes.size()) << v.name << " split " << split;
      ++decodes;
    }
  }
  EXPECT_GT(decodes, 9000u);
}

TEST(ReferenceVectors, DecodeInRandomChunks) {
  for (const auto& v : valid_vectors()) {
    for (std::uint64_t seed = 1; seed <= 8; ++seed) {
      const auto r = decode_random_chunks(v.bytes, seed * 7919 + v.bytes.size(), 1 + seed * seed);
      ASSERT_EQ(r.status, Decoder::Status::complete) << v.name << " seed " << seed;
      ASSERT_EQ(*r.entity, v.entity) << v.name << " seed " << seed;
    }
  }
}

// All valid vectors back to back on one stream, as on a VEC channel: the decoder must stop
// exactly at each entity's end.
TEST(ReferenceVectors, DecodeConcatenatedStream) {
  std::vector<std::uint8_t> stream;
  for (const auto& v : valid_vectors()) stream.insert(stream.end(), v.bytes.begin(), v.bytes.end());
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<std::size_t> chunk(1, 97);
    Decoder d;
    std::size_t pos = 0;
    std::size_t index = 0;
    while (pos < stream.size()) {
      const std::size_t n = std::min(chunk(rng), stream.size() - pos);
      std::size_t used = 0;
      while (used < n) {
        const auto r = d.feed(std::span<const std::uint8_t>(stream).subspan(pos + used, n - used));
        ASSERT_NE(r.status, Decoder::Status::error) << r.error.message();
        used += r.consumed;
        if (r.status == Decoder::Status::complete) {
          ASSERT_LT(index, valid_vectors().size());
          ASSERT_EQ(d.take(), valid_vectors()[index].entity) << valid_vectors()[index].name;
          ++index;
        } else {
          ASSERT_EQ(used, n);
        }
      }
      pos += n;
    }
    EXPECT_EQ(index, valid_vectors().size());
    EXPECT_EQ(d.bytes_in_progress(), 0u);
  }
}

// The typed error each `error` vector must produce, by name prefix.
std::optional<Errc> expected_error(const std::string& name) {
  static const std::vector<std::pair<std::string, Errc>> table = {
      {"code/", Errc::bad_type_code},
      {"tagged/no-value", Errc::tagged_without_value},
      {"floatN/base-", Errc::float_base_below_two},
      {"ref/remote-unknown", Errc::unknown_remote_id},
      {"str/bad-utf8", Errc::invalid_text},
      {"str-enc/bad-utf8", Errc::invalid_text},
      {"str-enc/utf16-odd-length", Errc::invalid_text},
      {"str-enc/unknown-codec", Errc::unknown_codec},
      {"str-enc/empty-codec", Errc::unknown_codec},
      {"len/tuple-count-huge", Errc::too_many_elements},
      {"len/int-netbytes-ff-recursion", Errc::netbytes_too_long},
  };
  for (const auto& [prefix, e] : table) {
    if (name.rfind(prefix, 0) == 0) return e;
  }
  return std::nullopt;
}

bool is_limit_error(std::error_code ec) {
  return ec == Errc::entity_too_large || ec == Errc::too_many_elements || ec == Errc::netbytes_too_long;
}

TEST(ReferenceVectors, InvalidVectorsAreRejectedWithTheirKind) {
  std::size_t errors = 0, incompletes = 0, trailings = 0;
  for (const auto& j : all_lines()) {
    if (j.contains("hex")) continue;
    const auto name = j.at("name").get<std::string>();
    const auto kind = j.at("kind").get<std::string>();
    const auto bytes = from_hex(j.at("invalid_hex").get<std::string>());
    SCOPED_TRACE(name);
    // The unknown-remote vectors assume a receiver that owns no objects (entities.md §12).
    TestResolver nothing = TestResolver::owning_nothing();
    DecodeOptions opts;
    opts.refs = &nothing;

    const DecodeOneResult whole = decode_one(bytes, opts);
    const auto bytewise = decode_bytewise(bytes, opts);
    EXPECT_FALSE(whole.entity.has_value()) << name;
    if (kind == "error") {
      ++errors;
      ASSERT_TRUE(whole.error) << name;
      EXPECT_EQ(&whole.error.category(), &codec_category()) << name;
      EXPECT_FALSE(whole.incomplete) << name;
      const auto want = expected_error(name);
      ASSERT_TRUE(want.has_value()) << "no expectation for " << name;
      EXPECT_EQ(whole.error, *want) << name << ": got " << errc_name(static_cast<Errc>(whole.error.value()));
      EXPECT_EQ(bytewise.status, Decoder::Status::error) << name;
      EXPECT_EQ(bytewise.error, *want) << name;
    } else if (kind == "incomplete") {
      ++incompletes;
      const bool prefix_of_valid = name.rfind("trunc/", 0) == 0 || name == "empty" ||
                                   name == "len/tuple-count-more-than-data" ||
                                   name == "len/int-9byte-body-missing" ||
                                   name == "len/float-digits-missing";
      if (prefix_of_valid) {
        EXPECT_TRUE(whole.incomplete) << name << ": " << whole.error.message();
        EXPECT_EQ(whole.error, Errc::truncated) << name;
        EXPECT_EQ(whole.consumed, bytes.size()) << name;
        EXPECT_EQ(bytewise.status, Decoder::Status::need_more) << name;
      } else {
        // Unsatisfiable declared sizes: a limit error is allowed instead of waiting (§12).
        EXPECT_TRUE(whole.incomplete || is_limit_error(whole.error)) << name << ": " << whole.error.message();
        EXPECT_NE(bytewise.status, Decoder::Status::complete) << name;
      }
    } else if (kind == "trailing") {
      ++trailings;
      EXPECT_EQ(whole.error, Errc::trailing_bytes) << name;
      std::smatch m;
      const auto message = j.at("error").get<std::string>();
      ASSERT_TRUE(std::regex_search(message, m, std::regex("after ([0-9]+) of")));
      EXPECT_EQ(whole.consumed, std::stoul(m[1].str())) << name;
      EXPECT_EQ(bytewise.status, Decoder::Status::complete) << name;
      EXPECT_EQ(bytewise.consumed, std::stoul(m[1].str())) << name;
    } else {
      ADD_FAILURE() << "unknown kind " << kind << " in " << name;
    }
  }
  EXPECT_GE(errors, 40u);
  EXPECT_GE(incompletes, 100u);
  EXPECT_GE(trailings, 4u);
}

// The same fd bytes are valid or not depending on what the receiver owns (entities.md §12).
TEST(ReferenceVectors, RemoteIdsDependOnOwnership) {
  const auto bytes = from_hex("fd02");
  TestResolver nothing = TestResolver::owning_nothing();
  DecodeOptions opts;
  opts.refs = &nothing;
  EXPECT_EQ(decode_one(bytes, opts).error, Errc::unknown_remote_id);

  TestResolver owner = TestResolver::owning_nothing();
  owner.own(Integer(1));
  opts.refs = &owner;
  const auto r = decode_one(bytes, opts);
  ASSERT_FALSE(r.error);
  EXPECT_EQ(*r.entity, Entity(ObjectRef::raw(ObjectRef::Owner::receiver, Integer(1))));

  // Without a resolver references decode raw, unless raw references are disallowed.
  EXPECT_FALSE(decode_one(bytes).error);
  DecodeOptions strict;
  strict.allow_raw_references = false;
  EXPECT_EQ(decode_one(bytes, strict).error, Errc::references_unsupported);
  EXPECT_EQ(decode_one(from_hex("fc02"), strict).error, Errc::references_unsupported);
}

TEST(NonCanonicalVectors, DecodeThenReencodeCanonically) {
  const auto lines = versile::testing::read_jsonl("entity-vectors-noncanonical.jsonl");
  ASSERT_GE(lines.size(), 10u);
  for (const auto& j : lines) {
    const auto name = j.at("name").get<std::string>();
    SCOPED_TRACE(name);
    const Entity want = from_vej(j.at("entity"));
    const auto bytes = from_hex(j.at("hex").get<std::string>());
    const DecodeOneResult r = decode_one(bytes);
    ASSERT_FALSE(r.error) << name << ": " << r.error.message();
    EXPECT_EQ(*r.entity, want) << name;
    const auto bytewise = decode_bytewise(bytes);
    ASSERT_EQ(bytewise.status, Decoder::Status::complete) << name;
    EXPECT_EQ(*bytewise.entity, want) << name;
    EXPECT_EQ(to_hex(encode_to_vector(*r.entity)), j.at("canonical_hex").get<std::string>()) << name;
  }
}

}  // namespace
}  // namespace versile::codec
