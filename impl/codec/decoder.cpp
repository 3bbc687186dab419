#include "codec/decoder.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "codec/error.hpp"
#include "codec/netbytes.hpp"
#include "codec/payload_pool.hpp"
#include "codec/text.hpp"
#include "codec/vec_channel.hpp"

namespace versile::codec {

namespace {

// Nested `ff` length-of-length levels accepted inside one netbytes integer (the outermost
// level included). Every level's body length is also checked against the byte budget, so this
// only bounds the state; the reference never nests at all for bodies below 2^72 bytes.
constexpr std::size_t kMaxNetbytesNesting = 4;
// A codec name longer than this cannot be one we accept; reject before buffering it.
constexpr std::uint64_t kMaxCodecNameLength = 32;
// Payloads up to this size get their final buffer at once; larger ones grow as bytes arrive, so
// a peer cannot make us allocate a huge buffer by declaring a length it never sends.
constexpr std::uint64_t kEagerPayloadBytes = 16u * 1024u * 1024u;
// Scratch vectors above this many entries are released after each entity.
constexpr std::size_t kKeepCapacity = 1u << 16;

constexpr std::uint64_t kU64Max = std::numeric_limits<std::uint64_t>::max();

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  return a > kU64Max - b ? kU64Max : a + b;
}

// Copies a payload slice. glibc's memcpy uses `rep movsb` for mid-sized copies, which on some
// CPUs (measured: AMD EPYC) runs ~15x slower when the destination is 1..63 bytes ahead of the
// source modulo 4096 – exactly what happens when a payload arrives in 4 KiB reads after a short
// header. A plain vector loop has no such cliff, so it takes those cases.
void copy_payload(std::uint8_t* dst, const std::uint8_t* src, std::size_t n) {
#if defined(__SSE2__)
  const auto delta = (reinterpret_cast<std::uintptr_t>(dst) - reinterpret_cast<std::uintptr_t>(src)) & 4095u;
  if (n >= 512 && delta != 0 && delta < 64) {
    std::size_t i = 0;
    for (; i + 64 <= n; i += 64) {
      const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i));
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i + 16));
      const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i + 32));
      const __m128i d = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i + 48));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i), a);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i + 16), b);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i + 32), c);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i + 48), d);
    }
    std::memcpy(dst + i, src + i, n - i);
    return;
  }
#endif
  std::memcpy(dst, src, n);
}

// The header section in pre-order: one node per entity (f5 strings carry both lengths).
struct Node {
  enum class Kind : std::uint8_t { value, bytes, text_channel, text_explicit, tuple, exception, tagged };
  Node() = default;
  explicit Node(Entity v) : value(std::move(v)) {}
  Kind kind = Kind::value;
  std::uint64_t len = 0;       // bytes/f4: payload length; f5: data length; composites: count
  std::uint64_t name_len = 0;  // f5: codec-name length
  std::size_t next = 0;        // index of the node after this one's subtree
  Entity value;                // Kind::value: the finished scalar
};

// An open composite during the header pass.
struct Frame {
  std::uint64_t remaining;  // elements not yet started
  std::size_t node;         // the composite's node index
};

// The netbytes field being read after a type code.
enum class Field : std::uint8_t {
  int_pos, int_neg, bytes_len, text_len, codec_len, data_len, count,
  float_digits, float_base, float_exp, ref_id
};

bool is_size_field(Field f) {
  return f == Field::bytes_len || f == Field::text_len || f == Field::codec_len ||
         f == Field::data_len || f == Field::count;
}

}  // namespace

struct Decoder::State {
  enum class Phase : std::uint8_t { header, payload, complete, failed };
  enum class Step : std::uint8_t { more, done, fail };

  explicit State(DecodeOptions o) : opts(std::move(o)) {}

  DecodeOptions opts;
  Phase phase = Phase::header;
  std::error_code error;

  // Size accounting against Limits::max_entity_bytes: bytes consumed, plus one byte for each
  // declared element not yet started, plus declared payload bytes not yet read.
  std::uint64_t consumed = 0;
  std::uint64_t pending_elements = 0;
  std::uint64_t pending_payload = 0;

  // Header phase.
  bool in_field = false;
  std::uint8_t code = 0;
  Field field = Field::int_pos;
  struct NbLevel {
    std::uint64_t len = 0;
    std::uint64_t got = 0;
    std::uint64_t acc = 0;
    bool in_body = false;
  };
  std::array<NbLevel, kMaxNetbytesNesting> nb{};
  std::size_t nb_depth = 0;
  std::vector<std::uint8_t> nb_big;  // outermost body of an integer field when over 8 bytes
  bool nb_is_big = false;
  std::uint64_t nb_small = 0;
  Integer::Big nb_bigval;
  Integer float_digits;
  Integer float_base;
  std::uint64_t codec_len = 0;
  std::vector<Frame> frames;
  std::vector<Node> nodes;

  // Payload phase: nodes are completed from the last to the first (entities.md §6).
  std::size_t cursor = 0;
  bool node_started = false;
  int part = 0;  // f5: 0 = data, 1 = codec name
  std::uint64_t filled = 0;
  std::shared_ptr<std::uint8_t> eager;
  std::vector<std::uint8_t> growing;
  std::string text;
  std::string name;
  std::vector<Entity> values;
  Entity result;

  // ------------------------------------------------------------------------------------------

  std::uint64_t bound() const {
    return saturating_add(saturating_add(consumed, pending_elements), pending_payload);
  }
  std::uint64_t budget_left() const {
    const std::uint64_t max = opts.limits.max_entity_bytes;
    const std::uint64_t b = bound();
    return b >= max ? 0 : max - b;
  }

  Step fail(Errc e) {
    error = e;
    return Step::fail;
  }
  Step fail(std::error_code e) {
    error = e;
    return Step::fail;
  }

  void start_field(Field f) {
    field = f;
    in_field = true;
    nb_depth = 1;
    nb[0] = NbLevel{};
  }

  // Cap for a size-limited level: the outermost level of a length/count field is capped by its
  // limit, inner (length-of-length) levels by the bytes the entity may still occupy.
  std::uint64_t level_cap(bool outer) const {
    if (!outer) return budget_left();
    return field == Field::count ? opts.limits.max_elements : opts.limits.max_entity_bytes;
  }
  Errc level_error(bool outer) const {
    if (!outer) return Errc::netbytes_too_long;
    return field == Field::count ? Errc::too_many_elements : Errc::entity_too_large;
  }

  Step begin_body(std::uint64_t len) {
    if (len > budget_left()) return fail(Errc::netbytes_too_long);
    NbLevel& lv = nb[nb_depth - 1];
    lv.in_body = true;
    lv.len = len;
    lv.got = 0;
    lv.acc = 0;
    if (nb_depth == 1 && !is_size_field(field) && len > 8) {
      nb_big.clear();
      nb_big.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(len, 256)));
    }
    return Step::more;
  }

  // A level's value is complete: `small` (when !from_big) or the outermost big body.
  Step level_done(std::uint64_t prefix_or_acc, bool from_body) {
    const bool outer = nb_depth == 1;
    const bool sized = !outer || is_size_field(field);
    if (sized) {
      const std::uint64_t value = from_body ? saturating_add(prefix_or_acc, 247) : prefix_or_acc;
      if (value > level_cap(outer)) return fail(level_error(outer));
      if (!outer) {
        --nb_depth;  // value is the parent's body length minus 9
        return begin_body(saturating_add(value, 9));
      }
      nb_is_big = false;
      nb_small = value;
      return Step::done;
    }
    // Outermost level of an integer field: any size.
    if (!from_body) {
      nb_is_big = false;
      nb_small = prefix_or_acc;
      return Step::done;
    }
    std::uint64_t acc = prefix_or_acc;
    const NbLevel& lv = nb[0];
    if (lv.len > 8) {
      auto first = std::find_if(nb_big.begin(), nb_big.end(), [](std::uint8_t c) { return c != 0; });
      const auto significant = static_cast<std::size_t>(nb_big.end() - first);
      if (significant > 8) {
        nb_is_big = true;
        nb_bigval = netbytes::from_big_endian(std::span<const std::uint8_t>(&*first, significant));
        nb_bigval += 247;
        return Step::done;
      }
      acc = 0;
      for (auto it = first; it != nb_big.end(); ++it) acc = (acc << 8) | *it;
    }
    if (acc <= kU64Max - 247) {
      nb_is_big = false;
      nb_small = acc + 247;
    } else {
      nb_is_big = true;
      nb_bigval = Integer::Big(acc);
      nb_bigval += 247;
    }
    return Step::done;
  }

  Step nb_byte(std::uint8_t b) {
    NbLevel& lv = nb[nb_depth - 1];
    const bool outer = nb_depth == 1;
    if (!lv.in_body) {
      if (b <= 0xf6) return level_done(b, false);
      if (b != 0xff) return begin_body(static_cast<std::uint64_t>(b) - 246);
      if (nb_depth == kMaxNetbytesNesting) return fail(Errc::netbytes_too_long);
      nb[nb_depth++] = NbLevel{};
      return Step::more;
    }
    if (outer && !is_size_field(field)) {
      if (lv.len > 8) {
        nb_big.push_back(b);
      } else {
        lv.acc = (lv.acc << 8) | b;
      }
    } else {
      // Size-limited: fail as soon as the value is known to exceed its cap, i.e. when the
      // significant bytes so far, shifted past the bytes still to come, are already too big.
      // The previous byte's check keeps acc <= cap >> 8 here, so the shift cannot overflow.
      const std::uint64_t cap = level_cap(outer);
      lv.acc = (lv.acc << 8) | b;
      const std::uint64_t still_to_come = lv.len - lv.got - 1;
      if (lv.acc != 0 && (still_to_come >= 8 || lv.acc > (cap >> (8 * still_to_come)))) {
        return fail(level_error(outer));
      }
    }
    if (++lv.got == lv.len) return level_done(lv.acc, true);
    return Step::more;
  }

  Integer unsigned_value() const { return nb_is_big ? Integer(nb_bigval) : Integer(nb_small); }

  Integer signed_value() const {
    if (!nb_is_big) {
      const std::uint64_t u = nb_small;
      return (u & 1) == 0 ? Integer(static_cast<std::int64_t>(u >> 1))
                          : Integer(-static_cast<std::int64_t>(u >> 1));
    }
    if ((nb_bigval & 1) == 0) return Integer(Integer::Big(nb_bigval >> 1));
    return Integer(Integer::Big(-(nb_bigval >> 1)));
  }

  // ------------------------------------------------------------------------------------------

  Step element_done() {
    in_field = false;
    while (!frames.empty() && frames.back().remaining == 0) {
      nodes[frames.back().node].next = nodes.size();
      frames.pop_back();
    }
    if (frames.empty()) {
      phase = Phase::payload;
      cursor = nodes.size();
      node_started = false;
    }
    return Step::more;
  }

  template <class T>
  Step leaf(T&& v) {
    Node& n = nodes.emplace_back(Entity(std::forward<T>(v)));
    n.next = nodes.size();
    return element_done();
  }

  Step payload_node(Node::Kind kind, std::uint64_t len, std::uint64_t name_len) {
    Node& n = nodes.emplace_back();
    n.kind = kind;
    n.len = len;
    n.name_len = name_len;
    n.next = nodes.size();
    pending_payload += len + name_len;
    return element_done();
  }

  Step code_byte(std::uint8_t b) {
    if (nodes.size() >= opts.limits.max_total_elements) return fail(Errc::too_many_elements);
    if (!frames.empty()) {
      --frames.back().remaining;
      --pending_elements;
    }
    code = b;
    if (b < 0xef) return leaf(Integer(static_cast<int>(b) - 1));
    switch (b) {
      case 0xef: start_field(Field::int_pos); return Step::more;
      case 0xf0: start_field(Field::int_neg); return Step::more;
      case 0xf1: return leaf(false);
      case 0xf2: return leaf(true);
      case 0xf3: start_field(Field::bytes_len); return Step::more;
      case 0xf4:
        if (!opts.peer_codec) return fail(Errc::no_peer_codec);
        start_field(Field::text_len);
        return Step::more;
      case 0xf5: start_field(Field::codec_len); return Step::more;
      case 0xf6:
      case 0xf7:
      case 0xfe:
        if (frames.size() >= opts.limits.max_depth) return fail(Errc::too_deep);
        start_field(Field::count);
        return Step::more;
      case 0xf8: return leaf(None{});
      case 0xf9:
      case 0xfa:
      case 0xfb: start_field(Field::float_digits); return Step::more;
      case 0xfc:
      case 0xfd:
        if (opts.refs == nullptr && !opts.allow_raw_references) return fail(Errc::references_unsupported);
        start_field(Field::ref_id);
        return Step::more;
      default: return fail(Errc::bad_type_code);
    }
  }

  Step field_done() {
    switch (field) {
      case Field::int_pos:
        if (!nb_is_big && nb_small <= static_cast<std::uint64_t>(INT64_MAX) - 238) {
          return leaf(Integer(static_cast<std::int64_t>(nb_small) + 238));
        }
        return leaf(Integer(Integer::Big(unsigned_value().to_big() + 238)));
      case Field::int_neg:
        if (!nb_is_big && nb_small <= static_cast<std::uint64_t>(INT64_MAX) - 2) {
          return leaf(Integer(-static_cast<std::int64_t>(nb_small) - 2));
        }
        return leaf(Integer(Integer::Big(-(unsigned_value().to_big() + 2))));
      case Field::bytes_len:
      case Field::text_len:
        if (nb_small > budget_left()) return fail(Errc::entity_too_large);
        return payload_node(field == Field::bytes_len ? Node::Kind::bytes : Node::Kind::text_channel,
                            nb_small, 0);
      case Field::codec_len:
        if (nb_small == 0 || nb_small > kMaxCodecNameLength) return fail(Errc::unknown_codec);
        if (nb_small > budget_left()) return fail(Errc::entity_too_large);
        codec_len = nb_small;
        start_field(Field::data_len);
        return Step::more;
      case Field::data_len:
        if (saturating_add(nb_small, codec_len) > budget_left()) return fail(Errc::entity_too_large);
        return payload_node(Node::Kind::text_explicit, nb_small, codec_len);
      case Field::count: {
        const std::uint64_t n = nb_small;
        if (code == 0xfe && n == 0) return fail(Errc::tagged_without_value);
        if (n > budget_left()) return fail(Errc::entity_too_large);  // each element takes >= 1 byte
        Node& node = nodes.emplace_back();
        node.kind = code == 0xf6 ? Node::Kind::tuple : code == 0xf7 ? Node::Kind::exception : Node::Kind::tagged;
        node.len = n;
        node.next = nodes.size();
        if (n == 0) return element_done();
        frames.push_back(Frame{n, nodes.size() - 1});
        pending_elements += n;
        in_field = false;
        return Step::more;
      }
      case Field::float_digits:
        float_digits = signed_value();
        if (code == 0xfb) {
          start_field(Field::float_base);
        } else {
          float_base = Integer(code == 0xfa ? 2 : 10);
          start_field(Field::float_exp);
        }
        return Step::more;
      case Field::float_base:
        float_base = signed_value();
        if (float_base < Integer(2)) return fail(Errc::float_base_below_two);
        start_field(Field::float_exp);
        return Step::more;
      case Field::float_exp:
        return leaf(Float{std::move(float_digits), std::move(float_base), signed_value()});
      case Field::ref_id: {
        const WireRef wire{code == 0xfc ? ObjectRef::Owner::sender : ObjectRef::Owner::receiver,
                           signed_value()};
        if (opts.refs == nullptr) return leaf(ObjectRef::raw(wire.owner, wire.id));
        ObjectRef ref = ObjectRef::raw(wire.owner, wire.id);
        if (auto ec = opts.refs->decode_ref(wire, ref)) return fail(ec);
        return leaf(std::move(ref));
      }
    }
    return fail(Errc::bad_type_code);
  }

  Step header_byte(std::uint8_t b) {
    ++consumed;
    Step st;
    if (!in_field) {
      st = code_byte(b);
    } else {
      st = nb_byte(b);
      if (st == Step::done) st = field_done();
    }
    if (st == Step::fail) return st;
    if (bound() > opts.limits.max_entity_bytes) return fail(Errc::entity_too_large);
    return Step::more;
  }

  // ------------------------------------------------------------------------------------------

  // Copies up to `want - filled` bytes of input into the current payload; true when complete.
  template <class Sink>
  bool take_input(std::uint64_t want, std::span<const std::uint8_t> in, std::size_t& pos, Sink&& sink) {
    const std::uint64_t avail = in.size() - pos;
    const auto n = static_cast<std::size_t>(std::min(want - filled, avail));
    if (n > 0) {
      sink(in.data() + pos, n);
      pos += n;
      filled += n;
      consumed += n;
      pending_payload -= n;
    }
    return filled == want;
  }

  bool read_bytes(std::uint64_t len, std::span<const std::uint8_t> in, std::size_t& pos) {
    if (!node_started) {
      node_started = true;
      filled = 0;
      if (len <= kEagerPayloadBytes) {
        eager = len == 0 ? nullptr : PayloadPool::shared().acquire(static_cast<std::size_t>(len));
      } else {
        eager = nullptr;
        growing.clear();
        growing.reserve(kEagerPayloadBytes);
      }
    }
    if (eager || len == 0) {
      return take_input(len, in, pos, [&](const std::uint8_t* p, std::size_t n) {
        copy_payload(eager.get() + filled, p, n);
      });
    }
    return take_input(len, in, pos, [&](const std::uint8_t* p, std::size_t n) {
      growing.insert(growing.end(), p, p + n);
    });
  }

  Bytes finish_bytes(std::uint64_t len) {
    if (len == 0) return Bytes();
    if (eager) {
      std::shared_ptr<const std::uint8_t> data(eager, eager.get());
      eager.reset();
      return Bytes(std::move(data), static_cast<std::size_t>(len));
    }
    Bytes b(std::move(growing));
    growing = {};
    return b;
  }

  bool read_text(std::uint64_t len, std::string& out, std::span<const std::uint8_t> in, std::size_t& pos) {
    if (!node_started) {
      node_started = true;
      filled = 0;
      out.clear();
      out.reserve(static_cast<std::size_t>(std::min(len, kEagerPayloadBytes)));
    }
    return take_input(len, in, pos, [&](const std::uint8_t* p, std::size_t n) {
      out.append(reinterpret_cast<const char*>(p), n);
    });
  }

  std::error_code make_string(StringCodec codec, std::string& raw, Entity& out) {
    const auto bytes = std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size());
    if (codec == StringCodec::utf8) {
      if (!text::is_valid_utf8(bytes)) return Errc::invalid_text;
      out = String::trusted(std::move(raw));
    } else {
      std::string utf8;
      if (!text::utf16_to_utf8(bytes, utf8)) return Errc::invalid_text;
      out = String::trusted(std::move(utf8));
    }
    raw = std::string();
    return {};
  }

  // Scalars are taken straight from their nodes; every other child was built onto `values`
  // last-to-first, so the composite's first such child is on top of the stack.
  void build_composite(std::size_t index) {
    const Node& n = nodes[index];
    const auto count = static_cast<std::size_t>(n.len);
    std::vector<Entity> items;
    items.reserve(count);
    std::size_t child = index + 1;
    for (std::size_t i = 0; i < count; ++i) {
      Node& c = nodes[child];
      if (c.kind == Node::Kind::value) {
        items.push_back(std::move(c.value));
      } else {
        items.push_back(std::move(values.back()));
        values.pop_back();
      }
      child = c.next;
    }
    Tuple t(std::move(items));
    switch (n.kind) {
      case Node::Kind::tuple: values.emplace_back(std::move(t)); break;
      case Node::Kind::exception: values.emplace_back(Exception{std::move(t)}); break;
      default: values.emplace_back(Tagged(std::move(t))); break;
    }
  }

  // Advances the payload phase; returns false on error.
  bool payload_step(std::span<const std::uint8_t> in, std::size_t& pos) {
    while (cursor > 0) {
      Node& n = nodes[cursor - 1];
      switch (n.kind) {
        case Node::Kind::value:
          break;  // taken by its parent (or as the result) directly
        case Node::Kind::bytes:
          if (!read_bytes(n.len, in, pos)) return true;
          values.emplace_back(finish_bytes(n.len));
          break;
        case Node::Kind::text_channel: {
          if (!read_text(n.len, text, in, pos)) return true;
          Entity e;
          if (auto ec = make_string(*opts.peer_codec, text, e)) {
            error = ec;
            return false;
          }
          values.push_back(std::move(e));
          break;
        }
        case Node::Kind::text_explicit: {
          // Payload order within f5: data first, then the codec name (entities.md §5.5).
          if (part == 0) {
            if (!read_text(n.len, text, in, pos)) return true;
            part = 1;
            node_started = false;
          }
          if (!read_text(n.name_len, name, in, pos)) return true;
          part = 0;
          const std::optional<StringCodec> codec = parse_codec_name(name);
          if (!codec) {
            error = Errc::unknown_codec;
            return false;
          }
          Entity e;
          if (auto ec = make_string(*codec, text, e)) {
            error = ec;
            return false;
          }
          values.push_back(std::move(e));
          break;
        }
        case Node::Kind::tuple:
        case Node::Kind::exception:
        case Node::Kind::tagged:
          build_composite(cursor - 1);
          break;
      }
      --cursor;
      node_started = false;
    }
    result = nodes.front().kind == Node::Kind::value ? std::move(nodes.front().value) : std::move(values.back());
    values.clear();
    phase = Phase::complete;
    return true;
  }

  Result feed(std::span<const std::uint8_t> in) {
    Result r;
    if (phase == Phase::failed) {
      r.status = Status::error;
      r.error = error;
      return r;
    }
    if (phase == Phase::complete) {
      r.status = Status::complete;
      return r;
    }
    std::size_t pos = 0;
    while (phase == Phase::header && pos < in.size()) {
      if (header_byte(in[pos++]) == Step::fail) {
        phase = Phase::failed;
        r.consumed = pos;
        r.status = Status::error;
        r.error = error;
        return r;
      }
    }
    if (phase == Phase::payload && !payload_step(in, pos)) {
      phase = Phase::failed;
      r.consumed = pos;
      r.status = Status::error;
      r.error = error;
      return r;
    }
    r.consumed = pos;
    r.status = phase == Phase::complete ? Status::complete : Status::need_more;
    return r;
  }

  Decoder::DirectInput direct_input(std::size_t min_size) {
    if (phase != Phase::payload || cursor == 0) return {};
    const Node& n = nodes[cursor - 1];
    if (n.kind != Node::Kind::bytes) return {};
    if (!node_started) {
      std::size_t pos = 0;
      read_bytes(n.len, {}, pos);  // allocates the payload buffer
    }
    if (!eager || n.len - filled < std::max<std::uint64_t>(min_size, 1)) return {};
    return {eager, {eager.get() + filled, static_cast<std::size_t>(n.len - filled)}};
  }

  Result commit_direct(const std::uint8_t* window_start, std::size_t n) {
    if (phase == Phase::payload && cursor > 0 && nodes[cursor - 1].kind == Node::Kind::bytes &&
        node_started && eager && window_start == eager.get() + filled &&
        n <= nodes[cursor - 1].len - filled) {
      filled += n;
      consumed += n;
      pending_payload -= n;
      return feed({});  // completes the payload (and the entity) when it is full
    }
    Result r;
    if (phase != Phase::failed) {
      phase = Phase::failed;
      error = Errc::direct_input_mismatch;
    }
    r.status = Status::error;
    r.error = error;
    return r;
  }

  template <class T>
  static void release(std::vector<T>& v) {
    v.clear();
    if (v.capacity() > kKeepCapacity) v = std::vector<T>();
  }

  void reset() {
    phase = Phase::header;
    error = {};
    consumed = pending_elements = pending_payload = 0;
    in_field = false;
    nb_depth = 0;
    release(nb_big);
    nb_bigval = 0;
    frames.clear();
    release(nodes);
    cursor = 0;
    node_started = false;
    part = 0;
    filled = 0;
    eager.reset();
    growing = {};
    text = std::string();
    name.clear();
    release(values);
    result = Entity();
  }
};

Decoder::Decoder(DecodeOptions opts) : s_(std::make_unique<State>(std::move(opts))) {}
Decoder::~Decoder() = default;
Decoder::Decoder(Decoder&&) noexcept = default;
Decoder& Decoder::operator=(Decoder&&) noexcept = default;

Decoder::Result Decoder::feed(std::span<const std::uint8_t> input) { return s_->feed(input); }

Entity Decoder::take() {
  Entity e = std::move(s_->result);
  s_->reset();
  return e;
}

void Decoder::reset() { s_->reset(); }

std::size_t Decoder::bytes_in_progress() const noexcept {
  return s_->phase == State::Phase::complete ? 0 : static_cast<std::size_t>(s_->consumed);
}

const DecodeOptions& Decoder::options() const noexcept { return s_->opts; }

Decoder::DirectInput Decoder::direct_input(std::size_t min_size) {
  return s_->direct_input(min_size);
}

Decoder::Result Decoder::commit_direct(const std::uint8_t* window_start, std::size_t n) {
  return s_->commit_direct(window_start, n);
}

DecodeOneResult decode_one(std::span<const std::uint8_t> input, const DecodeOptions& opts) {
  DecodeOneResult out;
  Decoder d(opts);
  const Decoder::Result r = d.feed(input);
  out.consumed = r.consumed;
  switch (r.status) {
    case Decoder::Status::complete:
      if (r.consumed < input.size()) {
        out.error = Errc::trailing_bytes;
      } else {
        out.entity = d.take();
      }
      break;
    case Decoder::Status::need_more:
      out.error = Errc::truncated;
      out.incomplete = true;
      break;
    case Decoder::Status::error:
      out.error = r.error;
      break;
  }
  return out;
}

}  // namespace versile::codec
