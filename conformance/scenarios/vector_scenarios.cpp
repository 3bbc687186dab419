// VEC-*: the reference's entity test vectors (entities.md §12) through the codec: exact
// encodings, whole and byte-by-byte decoding, rejection of invalid input, acceptance of the
// non-canonical variants. No transport involved.
#include <fstream>

#include "codec/decoder.hpp"
#include "codec/encoder.hpp"
#include "entity/vej.hpp"
#include "model/reference_data.hpp"
#include "scenarios/support.hpp"
#include "trace.hpp"

namespace vpstream::conformance {
namespace {

using nlohmann::json;

std::vector<json> load_lines(const std::string& file) {
  std::ifstream in(reference_dir() / file);
  if (!in) abort_with(ErrorCategory::harness_error, "cannot read " + (reference_dir() / file).string());
  std::vector<json> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(json::parse(line));
  }
  return out;
}

std::vector<std::uint8_t> hex_of(const json& j, const char* key) {
  auto b = traces::from_hex(j[key].get<std::string>());
  if (!b) abort_with(ErrorCategory::harness_error, "bad hex in vector " + j.value("name", ""));
  return *b;
}

// Runs `check` on every vector that has `key`; the first mismatch ends the scenario.
template <class F>
Observation each_vector(ScenarioContext& ctx, const std::string& file, const char* key, F check) {
  std::size_t n = 0;
  for (const auto& v : load_lines(file)) {
    if (!v.contains(key)) continue;
    ++n;
    check(v);
  }
  ctx.log(std::to_string(n) + " vectors checked");
  require(n > 0, "no vectors found in " + file);
  return Observation::ok(std::to_string(n) + " vectors");
}

versile::codec::DecodeOptions decode_options() {
  versile::codec::DecodeOptions o;
  o.allow_raw_references = true;
  return o;
}

}  // namespace

void add_vector_scenarios(Catalogue& c) {
  auto spec = [](std::string id, std::string statement, std::string section) {
    ScenarioSpec s{std::move(id), std::move(statement), std::move(section), Role::link};
    s.tags = {"vectors", "codec"};
    s.uses_transport = false;
    return s;
  };
  c.add(make_scenario(spec("VEC-ENCODE-EXACT", "every valid reference vector encodes to exactly the recorded bytes",
                           "entities.md §12, §6"),
                      [](ScenarioContext& ctx) {
                        return each_vector(ctx, "entity-vectors.jsonl", "hex", [](const json& v) {
                          const auto want = hex_of(v, "hex");
                          const auto got = versile::codec::encode_to_vector(versile::from_vej(v["entity"]));
                          require(got == want, "vector " + v.value("name", "") + ": encoding differs");
                        });
                      }));
  c.add(make_scenario(spec("VEC-DECODE-WHOLE", "every valid reference vector decodes (whole buffer) to its entity",
                           "entities.md §12"),
                      [](ScenarioContext& ctx) {
                        return each_vector(ctx, "entity-vectors.jsonl", "hex", [](const json& v) {
                          const auto r = versile::codec::decode_one(hex_of(v, "hex"), decode_options());
                          require(r.entity.has_value(), "vector " + v.value("name", "") + " not decoded");
                          require(*r.entity == versile::from_vej(v["entity"]),
                                  "vector " + v.value("name", "") + ": decoded entity differs");
                        });
                      }));
  c.add(make_scenario(spec("VEC-DECODE-BYTEWISE", "every valid reference vector decodes when fed one byte at a time",
                           "entities.md §12, §9"),
                      [](ScenarioContext& ctx) {
                        return each_vector(ctx, "entity-vectors.jsonl", "hex", [](const json& v) {
                          const auto bytes = hex_of(v, "hex");
                          versile::codec::Decoder d(decode_options());
                          bool complete = false;
                          for (std::size_t i = 0; i < bytes.size(); ++i) {
                            auto r = d.feed(std::span<const std::uint8_t>(&bytes[i], 1));
                            require(r.status != versile::codec::Decoder::Status::error,
                                    "vector " + v.value("name", "") + ": error at byte " + std::to_string(i));
                            if (r.status == versile::codec::Decoder::Status::complete) {
                              require(i + 1 == bytes.size(), "vector " + v.value("name", "") + ": completed early");
                              complete = true;
                            }
                          }
                          require(complete, "vector " + v.value("name", "") + ": never completed");
                          require(d.take() == versile::from_vej(v["entity"]), "vector " + v.value("name", "") + ": differs");
                        });
                      }));
  c.add(make_scenario(spec("VEC-REJECT-INVALID", "no invalid reference vector yields an entity consuming exactly its bytes",
                           "entities.md §8, §12"),
                      [](ScenarioContext& ctx) {
                        return each_vector(ctx, "entity-vectors.jsonl", "invalid_hex", [](const json& v) {
                          const auto bytes = hex_of(v, "invalid_hex");
                          versile::codec::DecodeOptions o = decode_options();
                          // ref/remote-unknown* assume a receiver that owns no objects.
                          if (v.value("name", "").rfind("ref/remote-unknown", 0) == 0) o.allow_raw_references = false;
                          const auto r = versile::codec::decode_one(bytes, o);
                          require(!(r.entity && r.consumed == bytes.size() && !r.error),
                                  "invalid vector " + v.value("name", "") + " was accepted");
                        });
                      }));
  c.add(make_scenario(spec("VEC-NONCANONICAL-ACCEPT", "non-canonical encodings decode to the entity of their canonical form",
                           "entities.md §7, §12"),
                      [](ScenarioContext& ctx) {
                        return each_vector(ctx, "entity-vectors-noncanonical.jsonl", "hex", [](const json& v) {
                          const auto r = versile::codec::decode_one(hex_of(v, "hex"), decode_options());
                          require(r.entity.has_value(), "vector " + v.value("name", "") + " rejected");
                          require(*r.entity == versile::from_vej(v["entity"]), "vector " + v.value("name", "") + ": differs");
                          const auto canonical = versile::codec::encode_to_vector(*r.entity);
                          require(canonical == hex_of(v, "canonical_hex"),
                                  "vector " + v.value("name", "") + ": re-encoding is not the canonical form");
                        });
                      }));
}

}  // namespace vpstream::conformance
