#include "codec/encoder.hpp"

#include <string_view>

#include "codec/error.hpp"
#include "codec/netbytes.hpp"
#include "codec/text.hpp"

namespace versile::codec {

namespace {

constexpr std::string_view kUtf8Name = "utf8";
constexpr std::string_view kUtf16Name = "utf16";

std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// One pass over the entity in pre-order (explicit stack, so nesting depth is not bounded by the
// call stack): headers go to `head_`, payload references are collected in pre-order and
// appended in reverse after the whole header section (entities.md §6).
class EntityWriter {
 public:
  explicit EntityWriter(const EncodeOptions& opts) : opts_(opts) {}

  std::error_code run(const Entity& root) {
    stack_.push_back(&root);
    while (!stack_.empty()) {
      const Entity* e = stack_.back();
      stack_.pop_back();
      if (auto ec = write(*e)) return ec;
    }
    return {};
  }

  void flush(OutputBuffer& out) const {
    out.append_copy(head_);
    for (auto it = payloads_.rbegin(); it != payloads_.rend(); ++it) {
      if (it->owner != nullptr) {
        out.append_shared(*it->owner, it->data, it->size);
      } else {
        out.append_copy(std::span<const std::uint8_t>(it->data, it->size));
      }
    }
  }

 private:
  struct Payload {
    const std::uint8_t* data;
    std::size_t size;
    const std::shared_ptr<const std::uint8_t>* owner;  // null: copy (entity outlives encode())
  };

  void payload(std::span<const std::uint8_t> bytes) {
    payloads_.push_back(Payload{bytes.data(), bytes.size(), nullptr});
  }

  void push_children(std::span<const Entity> children) {
    for (auto it = children.rbegin(); it != children.rend(); ++it) stack_.push_back(&*it);
  }

  void write_composite(std::uint8_t code, std::span<const Entity> children) {
    head_.push_back(code);
    netbytes::put_unsigned(head_, static_cast<std::uint64_t>(children.size()));
    push_children(children);
  }

  std::error_code write_string(const String& s) {
    const std::optional<StringCodec> explicit_codec = s.explicit_codec();
    const std::optional<StringCodec> codec =
        explicit_codec ? explicit_codec : (opts_.channel_codec ? opts_.channel_codec : StringCodec::utf8);
    const bool use_f5 = explicit_codec.has_value() || !opts_.channel_codec.has_value();

    std::span<const std::uint8_t> data;
    if (*codec == StringCodec::utf8) {
      data = as_bytes(s.str());
    } else {
      temps_.emplace_back();
      text::utf8_to_utf16le(s.str(), temps_.back());
      data = temps_.back();
    }
    if (use_f5) {
      const std::string_view name = *codec == StringCodec::utf8 ? kUtf8Name : kUtf16Name;
      head_.push_back(0xf5);
      netbytes::put_unsigned(head_, static_cast<std::uint64_t>(name.size()));
      netbytes::put_unsigned(head_, static_cast<std::uint64_t>(data.size()));
      payload(as_bytes(name));  // children of f5: codec name, then data
      payload(data);
    } else {
      head_.push_back(0xf4);
      netbytes::put_unsigned(head_, static_cast<std::uint64_t>(data.size()));
      payload(data);
    }
    return {};
  }

  std::error_code write_ref(const ObjectRef& ref) {
    WireRef wire{ref.raw_owner(), ref.raw_id()};
    if (!ref.is_raw()) {
      if (opts_.refs == nullptr) return Errc::unencodable;
      if (auto ec = opts_.refs->encode_ref(ref, wire)) return ec;
    }
    head_.push_back(wire.owner == ObjectRef::Owner::sender ? 0xfc : 0xfd);
    netbytes::put_signed(head_, wire.id);
    return {};
  }

  std::error_code write(const Entity& e) {
    return std::visit(
        [&](const auto& v) -> std::error_code {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, None>) {
            head_.push_back(0xf8);
          } else if constexpr (std::is_same_v<T, bool>) {
            head_.push_back(v ? 0xf2 : 0xf1);
          } else if constexpr (std::is_same_v<T, Integer>) {
            netbytes::put_explicit_integer(head_, v);
          } else if constexpr (std::is_same_v<T, Float>) {
            // The code follows the base value alone; the triple is written unchanged (§5.3).
            if (v.base < Integer(2)) return Errc::unencodable;
            const bool base2 = v.base == Integer(2);
            const bool base10 = v.base == Integer(10);
            head_.push_back(base2 ? 0xfa : base10 ? 0xf9 : 0xfb);
            netbytes::put_signed(head_, v.digits);
            if (!base2 && !base10) netbytes::put_signed(head_, v.base);
            netbytes::put_signed(head_, v.exp);
          } else if constexpr (std::is_same_v<T, Bytes>) {
            head_.push_back(0xf3);
            netbytes::put_unsigned(head_, static_cast<std::uint64_t>(v.size()));
            if (!v.empty()) payloads_.push_back(Payload{v.data(), v.size(), &v.shared_data()});
          } else if constexpr (std::is_same_v<T, String>) {
            return write_string(v);
          } else if constexpr (std::is_same_v<T, Tuple>) {
            write_composite(0xf6, v.span());
          } else if constexpr (std::is_same_v<T, Exception>) {
            write_composite(0xf7, v.args.span());
          } else if constexpr (std::is_same_v<T, Tagged>) {
            write_composite(0xfe, v.parts().span());
          } else if constexpr (std::is_same_v<T, ObjectRef>) {
            return write_ref(v);
          }
          return {};
        },
        e.value());
  }

  const EncodeOptions& opts_;
  std::vector<std::uint8_t> head_;
  std::vector<Payload> payloads_;
  std::vector<std::vector<std::uint8_t>> temps_;  // converted text (UTF-16) kept until flush
  std::vector<const Entity*> stack_;
};

}  // namespace

std::error_code encode(const Entity& e, OutputBuffer& out, const EncodeOptions& opts) {
  EntityWriter writer(opts);
  if (auto ec = writer.run(e)) return ec;  // nothing was appended to `out`
  writer.flush(out);
  return {};
}

std::vector<std::uint8_t> encode_to_vector(const Entity& e, const EncodeOptions& opts) {
  OutputBuffer out;
  if (auto ec = encode(e, out, opts)) throw std::system_error(ec, "entity encode");
  return out.flatten();
}

}  // namespace versile::codec
