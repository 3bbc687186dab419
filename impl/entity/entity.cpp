// The entity value model: Integer, Float, Bytes, String, composites, references, printing.
#include "entity/entity.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <ostream>
#include <sstream>

namespace versile {
namespace {

using Big = Integer::Big;

std::size_t hash_combine(std::size_t seed, std::size_t value) noexcept {
  // The 64-bit variant of boost::hash_combine's mixing step.
  return seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 12) + (seed >> 4));
}

const Big& int64_min_big() {
  static const Big v(std::numeric_limits<std::int64_t>::min());
  return v;
}
const Big& int64_max_big() {
  static const Big v(std::numeric_limits<std::int64_t>::max());
  return v;
}

bool fits_int64(const Big& v) { return v >= int64_min_big() && v <= int64_max_big(); }

}  // namespace

// ---------------------------------------------------------------------------------------------
// UTF-8

bool is_valid_utf8(std::string_view text) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    const unsigned char b0 = *p;
    if (b0 < 0x80) {
      ++p;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80;  // allowed range of the second byte (excludes overlongs etc.)
    unsigned char hi = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      len = 2;
    } else if (b0 == 0xe0) {
      len = 3;
      lo = 0xa0;  // below: overlong
    } else if (b0 == 0xed) {
      len = 3;
      hi = 0x9f;  // above: surrogates U+D800..U+DFFF
    } else if (b0 >= 0xe1 && b0 <= 0xef) {
      len = 3;
    } else if (b0 == 0xf0) {
      len = 4;
      lo = 0x90;  // below: overlong
    } else if (b0 >= 0xf1 && b0 <= 0xf3) {
      len = 4;
    } else if (b0 == 0xf4) {
      len = 4;
      hi = 0x8f;  // above: beyond U+10FFFF
    } else {
      return false;  // stray continuation byte, c0/c1 overlong lead, or f5..ff
    }
    if (static_cast<std::size_t>(end - p) < len) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (std::size_t i = 2; i < len; ++i) {
      if ((p[i] & 0xc0) != 0x80) return false;
    }
    p += len;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Integer

Integer::Integer(const Big& v) {
  if (fits_int64(v)) {
    small_ = static_cast<std::int64_t>(v);
  } else {
    big_ = std::make_shared<const Big>(v);
  }
}

void Integer::set_big(const Big& v) {
  if (fits_int64(v)) {
    small_ = static_cast<std::int64_t>(v);
    big_.reset();
  } else {
    small_ = 0;
    big_ = std::make_shared<const Big>(v);
  }
}

std::optional<Integer> Integer::from_decimal(std::string_view text) {
  std::string_view digits = text;
  const bool negative = !digits.empty() && digits.front() == '-';
  if (negative) digits.remove_prefix(1);
  if (digits.empty()) return std::nullopt;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  // Fast path: up to 18 digits always fit in int64.
  const auto first_nonzero = digits.find_first_not_of('0');
  if (first_nonzero == std::string_view::npos) return Integer(0);
  digits.remove_prefix(first_nonzero);
  if (digits.size() <= 18) {
    std::int64_t v = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), v);
    return Integer(negative ? -v : v);
  }
  Big v{std::string(digits)};
  if (negative) v = -v;
  return Integer(v);
}

std::optional<std::int64_t> Integer::to_int64() const noexcept {
  if (big_) return std::nullopt;
  return small_;
}

std::optional<std::uint64_t> Integer::to_uint64() const noexcept {
  if (!big_) {
    if (small_ < 0) return std::nullopt;
    return static_cast<std::uint64_t>(small_);
  }
  // Big values are outside int64; only (INT64_MAX, UINT64_MAX] fits.
  const Big& v = *big_;
  if (v.sign() < 0 || v > Big(std::numeric_limits<std::uint64_t>::max())) return std::nullopt;
  return static_cast<std::uint64_t>(v);
}

Integer::Big Integer::to_big() const {
  if (big_) return *big_;
  return Big(small_);
}

int Integer::sign() const noexcept {
  if (big_) return big_->sign();
  return (small_ > 0) - (small_ < 0);
}

std::string Integer::to_decimal() const {
  if (big_) return big_->str();
  return std::to_string(small_);
}

std::size_t Integer::hash() const noexcept {
  if (!big_) return std::hash<std::int64_t>{}(small_);
  // Canonical representation: a big value never equals a small one, so hashing its
  // magnitude bytes and sign separately is consistent with equality.
  std::vector<std::uint8_t> bytes;
  const Big magnitude = abs(*big_);
  export_bits(magnitude, std::back_inserter(bytes), 8);
  std::string_view view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return hash_combine(std::hash<std::string_view>{}(view), static_cast<std::size_t>(big_->sign() + 1));
}

bool operator==(const Integer& a, const Integer& b) noexcept {
  if (!a.big_ && !b.big_) return a.small_ == b.small_;
  if (a.big_ && b.big_) return *a.big_ == *b.big_;
  return false;  // canonical: exactly one is outside int64
}

std::strong_ordering operator<=>(const Integer& a, const Integer& b) noexcept {
  if (!a.big_ && !b.big_) return a.small_ <=> b.small_;
  if (a.big_ && b.big_) {
    const int c = a.big_->compare(*b.big_);
    return c < 0 ? std::strong_ordering::less
                 : (c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal);
  }
  // One big, one small: the big one lies outside int64, so its sign decides.
  if (a.big_) return a.big_->sign() > 0 ? std::strong_ordering::greater : std::strong_ordering::less;
  return b.big_->sign() > 0 ? std::strong_ordering::less : std::strong_ordering::greater;
}

// ---------------------------------------------------------------------------------------------
// Float

Float Float::from_double(double x) {
  if (!std::isfinite(x)) throw EntityTypeError("cannot represent infinity or NaN as a VFloat");
  if (x == 0.0) return Float{Integer(0), Integer(2), Integer(0)};
  const auto bits = std::bit_cast<std::uint64_t>(x);
  const bool negative = (bits >> 63) != 0;
  const auto biased_exp = static_cast<int>((bits >> 52) & 0x7ff);
  const std::uint64_t fraction = bits & ((std::uint64_t{1} << 52) - 1);
  // C99 %a: h.hhhhhhhhhhhhh p E with 13 fraction hex digits; lead digit 1 for normals, 0 for
  // subnormals (E = -1022). Trailing zero hex digits of the fraction are dropped.
  const std::uint64_t lead = biased_exp == 0 ? 0 : 1;
  const int e = biased_exp == 0 ? -1022 : biased_exp - 1023;
  int kept_hex_digits = 13;
  std::uint64_t frac = fraction;
  while (kept_hex_digits > 0 && (frac & 0xf) == 0) {
    frac >>= 4;
    --kept_hex_digits;
  }
  const std::uint64_t magnitude = (lead << (4 * kept_hex_digits)) | frac;
  const auto digits = static_cast<std::int64_t>(magnitude);
  return Float{Integer(negative ? -digits : digits), Integer(2), Integer(e - 4 * kept_hex_digits)};
}

std::optional<double> Float::to_double() const {
  if (base.sign() <= 0 || base < Integer(2)) return std::nullopt;
  if (digits.sign() == 0) return 0.0;
  // value = ±n × base^exp with base = 2^a × r (r odd). The value is a double iff it equals
  // odd × 2^e2 with odd < 2^53 and -1074 <= e2, e2 + bits(odd) <= 1024.
  const Big n = abs(digits.to_big());
  const Big b = base.to_big();
  const std::size_t a = lsb(b);
  const Big r = b >> a;
  const Big x = exp.to_big();
  const Big abs_x = abs(x);
  constexpr std::size_t kMaxBits = 1100;  // anything wider cannot be (or become) a double

  Big scaled = n;  // n × r^exp once the odd factor is applied
  if (r > 1 && x.sign() != 0) {
    // r^|exp| must divide n (exp < 0) or keep the product below 2^1024 (exp > 0). Both bound
    // |exp|·log2(r) by a bit size at hand, so the power computed below is never larger than
    // the input (checked before computing it: a peer chooses these numbers).
    const double limit_bits = x.sign() < 0 ? static_cast<double>(msb(n)) + 2.0 : static_cast<double>(kMaxBits);
    if (abs_x > static_cast<std::size_t>(limit_bits)) return std::nullopt;
    const auto count = static_cast<unsigned>(abs_x);
    const double log2_r = static_cast<double>(msb(r)) + 1.0;  // upper bound, exact enough here
    if (static_cast<double>(count) * (log2_r - 1.0) > limit_bits) return std::nullopt;
    const Big power = pow(r, count);
    if (x.sign() < 0) {
      if (power > n) return std::nullopt;
      Big q;
      Big rem;
      divide_qr(n, power, q, rem);
      if (rem != 0) return std::nullopt;
      scaled = q;
    } else {
      scaled = n * power;
      if (msb(scaled) > kMaxBits) return std::nullopt;
    }
  }
  const std::size_t tz = lsb(scaled);
  const Big odd = scaled >> tz;
  const std::size_t odd_bits = msb(odd) + 1;
  if (odd_bits > 53) return std::nullopt;
  const Big e2 = Big(tz) + Big(a) * x;
  if (e2 < -1074 || e2 + Big(odd_bits) > 1024) return std::nullopt;
  const double m = static_cast<double>(static_cast<std::uint64_t>(odd));
  const double v = std::ldexp(m, static_cast<int>(e2));
  return digits.sign() < 0 ? -v : v;
}

std::size_t Float::hash() const noexcept {
  return hash_combine(hash_combine(digits.hash(), base.hash()), exp.hash());
}

// ---------------------------------------------------------------------------------------------
// Bytes

namespace {
std::shared_ptr<const std::uint8_t> adopt(std::vector<std::uint8_t> data) {
  auto holder = std::make_shared<const std::vector<std::uint8_t>>(std::move(data));
  return {holder, holder->data()};
}
}  // namespace

Bytes::Bytes(std::vector<std::uint8_t> data) : size_(data.size()) {
  if (size_ != 0) data_ = adopt(std::move(data));
}

Bytes::Bytes(std::span<const std::uint8_t> data)
    : Bytes(std::vector<std::uint8_t>(data.begin(), data.end())) {}

Bytes::Bytes(std::string_view data)
    : Bytes(std::vector<std::uint8_t>(reinterpret_cast<const std::uint8_t*>(data.data()),
                                      reinterpret_cast<const std::uint8_t*>(data.data()) + data.size())) {}

Bytes::Bytes(std::shared_ptr<const std::uint8_t> owner_data, std::size_t size) noexcept
    : data_(std::move(owner_data)), size_(size) {}

Bytes Bytes::slice(std::size_t offset, std::size_t count) const {
  if (offset >= size_) return Bytes();
  const std::size_t n = std::min(count, size_ - offset);
  if (n == 0) return Bytes();
  return Bytes(std::shared_ptr<const std::uint8_t>(data_, data_.get() + offset), n);
}

bool operator==(const Bytes& a, const Bytes& b) noexcept {
  if (a.size_ != b.size_) return false;
  if (a.size_ == 0 || a.data_.get() == b.data_.get()) return true;
  return std::memcmp(a.data_.get(), b.data_.get(), a.size_) == 0;
}

std::size_t Bytes::hash() const noexcept { return std::hash<std::string_view>{}(view()); }

// ---------------------------------------------------------------------------------------------
// String

String::String(std::string utf8, std::optional<StringCodec> explicit_codec)
    : text_(std::move(utf8)), codec_(explicit_codec) {
  if (!is_valid_utf8(text_)) throw EntityTypeError("string is not valid UTF-8");
}

String String::trusted(std::string utf8, std::optional<StringCodec> explicit_codec) {
  String s;
  s.text_ = std::move(utf8);
  s.codec_ = explicit_codec;
  return s;
}

// ---------------------------------------------------------------------------------------------
// Tuple, Tagged

namespace {
const std::shared_ptr<const std::vector<Entity>>& empty_items() {
  static const auto empty = std::make_shared<const std::vector<Entity>>();
  return empty;
}
}  // namespace

Tuple::Tuple() : items_(empty_items()) {}
Tuple::Tuple(std::initializer_list<Entity> items)
    : items_(items.size() == 0 ? empty_items() : std::make_shared<const std::vector<Entity>>(items)) {}
Tuple::Tuple(std::vector<Entity> items)
    : items_(items.empty() ? empty_items()
                           : std::make_shared<const std::vector<Entity>>(std::move(items))) {}

std::size_t Tuple::size() const noexcept { return items_->size(); }
const Entity& Tuple::operator[](std::size_t i) const { return (*items_)[i]; }
const Entity& Tuple::at(std::size_t i) const {
  if (i >= items_->size()) {
    throw EntityTypeError("tuple index " + std::to_string(i) + " out of range (size " +
                          std::to_string(items_->size()) + ")");
  }
  return (*items_)[i];
}
const Entity* Tuple::begin() const noexcept { return items_->data(); }
const Entity* Tuple::end() const noexcept { return items_->data() + items_->size(); }
std::span<const Entity> Tuple::span() const noexcept { return {items_->data(), items_->size()}; }

bool operator==(const Tuple& a, const Tuple& b) {
  if (a.items_ == b.items_) return true;
  return *a.items_ == *b.items_;
}

Tagged::Tagged(Entity value, std::vector<Entity> tags) {
  std::vector<Entity> parts;
  parts.reserve(tags.size() + 1);
  parts.push_back(std::move(value));
  for (auto& t : tags) parts.push_back(std::move(t));
  parts_ = Tuple(std::move(parts));
}

Tagged::Tagged(Tuple parts) : parts_(std::move(parts)) {
  if (parts_.empty()) throw EntityTypeError("a tagged value needs a value (got an empty tuple)");
}

const Entity& Tagged::value() const { return parts_[0]; }
std::span<const Entity> Tagged::tags() const { return parts_.span().subspan(1); }

// ---------------------------------------------------------------------------------------------
// ObjectRef

ObjectRef::ObjectRef(std::shared_ptr<Object> object) : object_(std::move(object)) {
  if (!object_) throw EntityTypeError("an object reference needs an object");
}

ObjectRef ObjectRef::raw(Owner owner, Integer id) {
  ObjectRef r;
  r.owner_ = owner;
  r.id_ = std::move(id);
  return r;
}

bool operator==(const ObjectRef& a, const ObjectRef& b) noexcept {
  if (a.object_ || b.object_) return a.object_ == b.object_;
  return a.owner_ == b.owner_ && a.id_ == b.id_;
}

std::size_t ObjectRef::hash() const noexcept {
  if (object_) return std::hash<const Object*>{}(object_.get());
  return hash_combine(id_.hash(), static_cast<std::size_t>(owner_) + 1);
}

// ---------------------------------------------------------------------------------------------
// Entity

std::string_view to_string(EntityType t) noexcept {
  switch (t) {
    case EntityType::none: return "none";
    case EntityType::boolean: return "boolean";
    case EntityType::integer: return "integer";
    case EntityType::floating: return "float";
    case EntityType::bytes: return "bytes";
    case EntityType::string: return "string";
    case EntityType::tuple: return "tuple";
    case EntityType::exception: return "exception";
    case EntityType::tagged: return "tagged";
    case EntityType::reference: return "reference";
  }
  return "unknown";
}

std::int64_t Entity::as_int64() const {
  const auto v = get<Integer>().to_int64();
  if (!v) throw EntityTypeError("integer " + get<Integer>().to_decimal() + " does not fit in int64");
  return *v;
}

void Entity::throw_type_error(std::size_t expected_index) const {
  throw EntityTypeError("expected " + std::string(to_string(static_cast<EntityType>(expected_index))) +
                        ", got " + std::string(to_string(type())));
}

bool operator==(const Entity& a, const Entity& b) { return a.v_ == b.v_; }

namespace {
std::size_t hash_items(std::span<const Entity> items) noexcept {
  std::size_t h = items.size();
  for (const auto& e : items) h = hash_combine(h, e.hash());
  return h;
}
}  // namespace

std::size_t Entity::hash() const noexcept {
  const std::size_t alt = std::visit(
      [](const auto& v) -> std::size_t {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, None>) {
          return 0;
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? 1 : 2;
        } else if constexpr (std::is_same_v<T, String>) {
          return std::hash<std::string>{}(v.str());
        } else if constexpr (std::is_same_v<T, Tuple>) {
          return hash_items(v.span());
        } else if constexpr (std::is_same_v<T, Exception>) {
          return hash_items(v.args.span());
        } else if constexpr (std::is_same_v<T, Tagged>) {
          return hash_items(v.parts().span());
        } else {
          return v.hash();
        }
      },
      v_);
  return hash_combine(v_.index(), alt);
}

// ---------------------------------------------------------------------------------------------
// Printing

namespace {

void print_float(std::ostream& os, const Float& f) {
  if (f.base == Integer(2)) {
    if (const auto d = f.to_double()) {
      char buf[64];
      const auto res = std::to_chars(buf, buf + sizeof buf, *d);
      std::string_view s(buf, static_cast<std::size_t>(res.ptr - buf));
      os << s;
      if (s.find_first_of(".e") == std::string_view::npos) os << ".0";
      return;
    }
  }
  if (f.base == Integer(10) && f.exp.sign() <= 0 && f.exp > Integer(-10000)) {
    // Decimal notation of the unnormalised coefficient, like Python's Decimal: 1.50, 0E-10 → 0.0000000000.
    std::string digits = f.digits.to_decimal();
    const bool negative = !digits.empty() && digits.front() == '-';
    if (negative) digits.erase(0, 1);
    const auto scale = static_cast<std::size_t>(-*f.exp.to_int64());
    if (scale > 0) {
      if (digits.size() <= scale) digits.insert(0, scale - digits.size() + 1, '0');
      digits.insert(digits.size() - scale, 1, '.');
    }
    if (negative) os << '-';
    os << digits;
    return;
  }
  os << f.digits.to_decimal() << '*' << f.base.to_decimal() << '^' << f.exp.to_decimal();
}

void print_quoted(std::ostream& os, std::string_view text, char quote) {
  os << quote;
  for (unsigned char c : text) {
    switch (c) {
      case '\\': os << "\\\\"; break;
      case '\n': os << "\\n"; break;
      case '\r': os << "\\r"; break;
      case '\t': os << "\\t"; break;
      default:
        if (c == static_cast<unsigned char>(quote)) {
          os << '\\' << quote;
        } else if (c < 0x20 || c == 0x7f) {
          static const char* hex = "0123456789abcdef";
          os << "\\x" << hex[c >> 4] << hex[c & 0xf];
        } else {
          os << static_cast<char>(c);
        }
    }
  }
  os << quote;
}

void print_bytes(std::ostream& os, const Bytes& b) {
  os << "b'";
  static const char* hex = "0123456789abcdef";
  for (unsigned char c : b.span()) {
    if (c == '\\' || c == '\'') {
      os << '\\' << static_cast<char>(c);
    } else if (c == '\n') {
      os << "\\n";
    } else if (c == '\r') {
      os << "\\r";
    } else if (c == '\t') {
      os << "\\t";
    } else if (c < 0x20 || c >= 0x7f) {
      os << "\\x" << hex[c >> 4] << hex[c & 0xf];
    } else {
      os << static_cast<char>(c);
    }
  }
  os << '\'';
}

void print_repr(std::ostream& os, const Entity& e);

void print_items(std::ostream& os, std::span<const Entity> items) {
  bool first = true;
  for (const auto& item : items) {
    if (!first) os << ", ";
    first = false;
    print_repr(os, item);
  }
}

void print_repr(std::ostream& os, const Entity& e) {
  std::visit(
      [&os](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, None>) {
          os << "None";
        } else if constexpr (std::is_same_v<T, bool>) {
          os << (v ? "True" : "False");
        } else if constexpr (std::is_same_v<T, Integer>) {
          os << v.to_decimal();
        } else if constexpr (std::is_same_v<T, Float>) {
          print_float(os, v);
        } else if constexpr (std::is_same_v<T, Bytes>) {
          print_bytes(os, v);
        } else if constexpr (std::is_same_v<T, String>) {
          print_quoted(os, v.str(), '\'');
        } else if constexpr (std::is_same_v<T, Tuple>) {
          os << '(';
          print_items(os, v.span());
          if (v.size() == 1) os << ',';
          os << ')';
        } else if constexpr (std::is_same_v<T, Exception>) {
          os << "VException(";
          print_items(os, v.args.span());
          os << ')';
        } else if constexpr (std::is_same_v<T, Tagged>) {
          os << "VTagged(";
          print_repr(os, v.value());
          if (!v.tags().empty()) {
            os << "; ";
            print_items(os, v.tags());
          }
          os << ')';
        } else if constexpr (std::is_same_v<T, ObjectRef>) {
          if (v.is_raw()) {
            os << (v.raw_owner() == ObjectRef::Owner::sender ? "<local " : "<remote ")
               << v.raw_id().to_decimal() << '>';
          } else {
            os << "<object " << static_cast<const void*>(v.object().get()) << '>';
          }
        }
      },
      e.value());
}

}  // namespace

std::ostream& operator<<(std::ostream& os, const Entity& e) {
  if (const auto* s = e.get_if<String>()) return os << s->str();
  print_repr(os, e);
  return os;
}

std::string to_display_string(const Entity& e) {
  std::ostringstream os;
  os << e;
  return os.str();
}

}  // namespace versile
