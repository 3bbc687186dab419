#include "replay.hpp"

#include "decode.hpp"

#include "codec/encoder.hpp"
#include "entity/vej.hpp"

namespace vpstream::traces {

std::vector<ReplayMismatch> check_decoding(const Trace& recorded) {
  std::vector<ReplayMismatch> out;
  for (Direction d : {Direction::a, Direction::b}) {
    const auto stream = recorded.stream(d);
    const auto decoded = decode_units(stream, d);
    const auto want = recorded.units_of(d);
    if (decoded.size() != want.size()) {
      out.push_back({d, std::min(decoded.size(), want.size()),
                     "decoded " + std::to_string(decoded.size()) + " units, recorded " + std::to_string(want.size())});
    }
    for (std::size_t i = 0; i < std::min(decoded.size(), want.size()); ++i) {
      if (decoded[i].len != want[i]->len || decoded[i].what != want[i]->what) {
        out.push_back({d, i, "unit boundary or kind differs"});
      } else if (decoded[i].vej != want[i]->vej) {
        out.push_back({d, i, "decoded VEJ differs"});
      }
    }
  }
  return out;
}

std::vector<ReplayMismatch> check_reencoding(const Trace& recorded) {
  std::vector<ReplayMismatch> out;
  for (Direction d : {Direction::a, Direction::b}) {
    const auto stream = recorded.stream(d);
    for (const Unit* u : recorded.units_of(d)) {
      if (u->what != "message" || !u->vej) continue;
      try {
        const auto bytes = versile::codec::encode_to_vector(versile::from_vej(*u->vej));
        if (u->offset + u->len > stream.size() ||
            !std::equal(bytes.begin(), bytes.end(), stream.begin() + static_cast<std::ptrdiff_t>(u->offset),
                        stream.begin() + static_cast<std::ptrdiff_t>(u->offset + u->len)) ||
            bytes.size() != u->len) {
          out.push_back({d, u->index, "re-encoding differs from the recorded bytes"});
        }
      } catch (const std::exception& e) {
        out.push_back({d, u->index, std::string("not re-encodable: ") + e.what()});
      }
    }
  }
  return out;
}

}  // namespace vpstream::traces
