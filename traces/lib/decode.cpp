#include "decode.hpp"

#include <algorithm>
#include <sstream>
#include <string_view>

#include "compare.hpp"

#include "codec/decoder.hpp"
#include "codec/vec_channel.hpp"
#include "entity/vej.hpp"

namespace vpstream::traces {

using nlohmann::json;

std::size_t vop_line_length(std::span<const std::uint8_t> stream) noexcept {
  constexpr std::string_view kVopPrefix = "VOP_DRAFT-";
  constexpr std::size_t kVopLineMax = 64;  // link.md §3.3, LF included
  const std::string_view text(reinterpret_cast<const char*>(stream.data()),
                              std::min(stream.size(), kVopLineMax));
  if (!text.starts_with(kVopPrefix)) return 0;
  const auto lf = text.find('\n');
  return lf == std::string_view::npos ? 0 : lf + 1;
}

std::vector<Unit> decode_units(std::span<const std::uint8_t> stream, Direction from) {
  std::vector<Unit> units;
  std::size_t pos = 0;
  auto partial = [&] {
    if (pos < stream.size()) {
      Unit u;
      u.from = from;
      u.index = units.size();
      u.offset = pos;
      u.len = stream.size() - pos;
      u.what = "partial";
      u.note = "trailing bytes that do not make up a whole unit";
      units.push_back(std::move(u));
    }
  };
  // A trace recorded on a VOP connection starts with the VOP negotiation line (link.md §3.3);
  // it is transport, not VEC: skip it so that unit 0 is still the VEC header.
  pos = vop_line_length(stream);
  versile::codec::VecHelloParser hello;
  auto hr = hello.feed(stream.subspan(pos));
  if (hr.status != versile::codec::VecHelloParser::Status::done) {
    partial();
    return units;
  }
  Unit hs;
  hs.from = from;
  hs.index = 0;
  hs.offset = pos;
  hs.len = hr.consumed;
  hs.what = "handshake";
  hs.text = std::string(reinterpret_cast<const char*>(stream.data() + pos), hr.consumed);
  hs.note = "VEC header";
  units.push_back(std::move(hs));
  pos += hr.consumed;
  versile::codec::DecodeOptions opts;
  opts.peer_codec = hello.peer_codec();
  opts.allow_raw_references = true;
  versile::codec::Decoder decoder(opts);
  while (pos < stream.size()) {
    auto r = decoder.feed(stream.subspan(pos));
    if (r.status != versile::codec::Decoder::Status::complete) break;
    Unit u;
    u.from = from;
    u.index = units.size();
    u.offset = pos;
    u.len = r.consumed;
    u.what = "message";
    try {
      u.vej = versile::to_vej(decoder.take());
    } catch (const std::exception& e) {
      u.vej = json{{"undecodable", e.what()}};
    }
    u.note = describe_unit(u);
    pos += r.consumed;
    units.push_back(std::move(u));
  }
  partial();
  return units;
}

void assign_timeline(Trace& trace) {
  // Walk the events once per direction and map stream offsets to steps and seqs.
  for (Direction d : {Direction::a, Direction::b}) {
    struct Mark { std::size_t offset; int step; };
    std::vector<Mark> steps;
    struct Chunk { std::size_t end; std::int64_t seq; };
    std::vector<Chunk> chunks;
    std::size_t offset = 0;
    for (const auto& e : trace.events) {
      if (e.kind == Event::Kind::step) {
        steps.push_back({d == Direction::a ? e.offset_a : e.offset_b, e.step});
      } else if (e.kind == Event::Kind::raw && e.from == d) {
        offset += e.bytes.size();
        chunks.push_back({offset, e.seq});
      }
    }
    for (auto& u : trace.units) {
      if (u.from != d) continue;
      int step = 0;
      for (const auto& m : steps) {
        if (m.offset <= u.offset) step = m.step;
      }
      u.step = step;
      const std::size_t last = u.offset + (u.len ? u.len - 1 : 0);
      auto it = std::ranges::find_if(chunks, [&](const Chunk& c) { return c.end > last; });
      u.end_seq = it == chunks.end() ? -1 : it->seq;
    }
  }
}

void rebuild_units(Trace& trace) {
  trace.units.clear();
  json units = json::object(), bytes = json::object(), eof = json::object();
  for (Direction d : {Direction::a, Direction::b}) {
    const auto stream = trace.stream(d);
    auto decoded = decode_units(stream, d);
    units[to_string(d)] = decoded.size();
    bytes[to_string(d)] = stream.size();
    bool saw_eof = std::ranges::any_of(trace.events, [&](const Event& e) {
      return e.kind == Event::Kind::eof && e.from == d;
    });
    eof[to_string(d)] = saw_eof;
    for (auto& u : decoded) trace.units.push_back(std::move(u));
  }
  assign_timeline(trace);
  if (!trace.summary.is_object()) trace.summary = json{{"k", "summary"}};
  trace.summary["k"] = "summary";
  trace.summary["units"] = units;
  trace.summary["bytes"] = bytes;
  trace.summary["eof"] = eof;
}

namespace {

std::string brief(const json& v) {
  if (v.is_null()) return "None";
  if (v.is_boolean()) return v.get<bool>() ? "True" : "False";
  if (v.is_array()) {
    std::string s = "(";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + brief(v[i]);
    return s + (v.size() == 1 ? ",)" : ")");
  }
  if (v.is_object()) {
    if (v.contains("int")) return v["int"].get<std::string>();
    if (v.contains("str")) return "'" + v["str"].get<std::string>() + "'";
    if (v.contains("bytes")) {
      auto h = v["bytes"].get<std::string>();
      return "b'" + (h.size() > 24 ? h.substr(0, 24) + "…" : h) + "' (" +
             std::to_string(h.size() / 2) + " bytes)";
    }
    if (v.contains("local")) return "{local:" + v["local"].get<std::string>() + "}";
    if (v.contains("remote")) return "{remote:" + v["remote"].get<std::string>() + "}";
    if (v.contains("float")) {
      const auto& f = v["float"];
      return f.value("digits", "?") + "*" + f.value("base", "?") + "^" + f.value("exp", "?");
    }
    if (v.contains("exception")) return "VException" + brief(v["exception"]);
    if (v.contains("tagged")) return "VTagged(" + brief(v["tagged"]) + "; " + brief(v["tags"]) + ")";
  }
  return v.dump();
}

}  // namespace

std::string describe_unit(const Unit& u) {
  if (u.what == "handshake") return "VEC header";
  if (!u.vej) return u.what;
  const json& v = *u.vej;
  if (u.index == 1) return "VOL hello " + brief(v);
  if (u.index == 2) return "VOL handshake object " + brief(v);
  if (!v.is_array() || v.size() != 3 || !v[1].is_object() || !v[1].contains("int")) return brief(v);
  const std::string id = brief(v[0]);
  int code = 0;
  try {
    code = std::stoi(v[1]["int"].get<std::string>());
  } catch (...) {
  }
  const json& p = v[2];
  std::ostringstream os;
  os << '#' << id << ' ' << message_code_name(code);
  if (code >= 1 && code <= 3 && p.is_array() && p.size() == 2 && p[1].is_array() && !p[1].empty()) {
    os << ' ' << brief(p[0]) << '.';
    const json& call = p[1];
    if (call[0].is_object() && call[0].contains("str")) {
      os << call[0]["str"].get<std::string>() << '(';
      for (std::size_t i = 1; i < call.size(); ++i) os << (i > 1 ? ", " : "") << brief(call[i]);
      os << ')';
    } else {
      os << "<meta " << brief(call) << '>';
    }
  } else if ((code == 4 || code == 5) && p.is_array() && p.size() == 2) {
    os << " for #" << brief(p[0]) << ": " << brief(p[1]);
  } else if (code == 6) {
    os << " for #" << brief(p);
  } else if (code == 7 && p.is_array() && p.size() == 2) {
    os << " object " << brief(p[0]) << " (recv_count " << brief(p[1]) << ')';
  } else if (code == 8) {
    os << " object " << brief(p);
  } else {
    os << ' ' << brief(p);
  }
  return os.str();
}

}  // namespace vpstream::traces
