// The VP entity value model (spec: entities.md §1, §5). Value semantics: copying an Entity is
// cheap (composites and byte buffers are shared and immutable), equality is structural.
#pragma once

#include <compare>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include <boost/multiprecision/cpp_int.hpp>

namespace versile {

class Entity;

// Customisation point for Entity::as<T>() and for published-method argument/result conversion.
// Specialise with `static T from_entity(const Entity&)` (throws EntityTypeError when the entity
// does not fit) and `static Entity to_entity(const T&)`. Basic types: entity/convert.hpp;
// higher layers add their own (e.g. the stream module for streamer proxies).
template <class T>
struct EntityConverter;

// Thrown when an Entity is accessed as a type it does not hold, or a conversion does not fit.
class EntityTypeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct None {
  friend bool operator==(None, None) = default;
};

// True iff `text` is well-formed UTF-8 in the strict sense of entities.md §5.5: no overlong
// forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequences.
bool is_valid_utf8(std::string_view text) noexcept;

// Signed integer of any size. Values that fit in int64 are stored inline (the fast path);
// larger ones in a shared immutable cpp_int. The representation is canonical, so equality and
// hashing do not depend on how a value was built.
class Integer {
 public:
  using Big = boost::multiprecision::cpp_int;

  Integer() noexcept = default;
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  Integer(T v) {  // NOLINT(google-explicit-constructor): integers convert naturally
    if constexpr (std::is_signed_v<T> || sizeof(T) < sizeof(std::int64_t)) {
      small_ = static_cast<std::int64_t>(v);
    } else if (v <= static_cast<T>(INT64_MAX)) {
      small_ = static_cast<std::int64_t>(v);
    } else {
      set_big(Big(v));
    }
  }
  explicit Integer(const Big& v);

  // Parses an optional '-' followed by decimal digits; nullopt on anything else.
  static std::optional<Integer> from_decimal(std::string_view text);

  bool is_small() const noexcept { return !big_; }
  std::optional<std::int64_t> to_int64() const noexcept;
  std::optional<std::uint64_t> to_uint64() const noexcept;
  Big to_big() const;
  int sign() const noexcept;
  std::string to_decimal() const;
  std::size_t hash() const noexcept;

  friend bool operator==(const Integer& a, const Integer& b) noexcept;
  friend std::strong_ordering operator<=>(const Integer& a, const Integer& b) noexcept;

 private:
  void set_big(const Big& v);
  std::int64_t small_ = 0;
  std::shared_ptr<const Big> big_;  // set iff the value is outside int64
};

// An exact number digits × base^exp (entities.md §5.3). Kept exactly as sent: never
// normalised, so (1,2,1) and (2,2,0) are different values of this type.
struct Float {
  Integer digits;
  Integer base{2};
  Integer exp;

  // The reference's derivation from an IEEE double (C99 %a, trailing zero hex digits dropped).
  // Throws EntityTypeError for infinity and NaN.
  static Float from_double(double x);
  // Exact conversion when the triple is exactly representable as a double; nullopt otherwise.
  std::optional<double> to_double() const;
  friend bool operator==(const Float&, const Float&) = default;
  std::size_t hash() const noexcept;
};

// Immutable byte string over a shared buffer; slicing never copies.
class Bytes {
 public:
  Bytes() noexcept = default;
  explicit Bytes(std::vector<std::uint8_t> data);
  explicit Bytes(std::span<const std::uint8_t> data);  // copies
  explicit Bytes(std::string_view data);                // copies
  // Adopts a buffer owned by `owner` (aliasing shared_ptr); nothing is copied.
  Bytes(std::shared_ptr<const std::uint8_t> owner_data, std::size_t size) noexcept;

  const std::uint8_t* data() const noexcept { return data_.get(); }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::span<const std::uint8_t> span() const noexcept { return {data_.get(), size_}; }
  std::string_view view() const noexcept {
    return {reinterpret_cast<const char*>(data_.get()), size_};
  }
  // Bytes [offset, offset+count) clamped to the end; shares the buffer.
  Bytes slice(std::size_t offset, std::size_t count = SIZE_MAX) const;
  // The owning pointer, for zero-copy hand-off to I/O buffers.
  const std::shared_ptr<const std::uint8_t>& shared_data() const noexcept { return data_; }

  friend bool operator==(const Bytes& a, const Bytes& b) noexcept;
  std::size_t hash() const noexcept;

 private:
  std::shared_ptr<const std::uint8_t> data_;
  std::size_t size_ = 0;
};

// The codec a string carries when it was (or must be) sent with code f5 (entities.md §5.5).
enum class StringCodec : std::uint8_t { utf8, utf16 };

// Unicode text held as valid UTF-8. `explicit_codec` selects the f5 form with that codec on
// encoding; without it a string is sent as f4 in the channel's codec. Equality ignores it.
class String {
 public:
  String() = default;
  // Throws EntityTypeError if `utf8` is not valid UTF-8 (entities.md §5.5 strictness).
  explicit String(std::string utf8, std::optional<StringCodec> explicit_codec = std::nullopt);
  // For callers that already validated the text (the decoder).
  static String trusted(std::string utf8, std::optional<StringCodec> explicit_codec = std::nullopt);

  const std::string& str() const noexcept { return text_; }
  std::optional<StringCodec> explicit_codec() const noexcept { return codec_; }

  friend bool operator==(const String& a, const String& b) noexcept { return a.text_ == b.text_; }

 private:
  std::string text_;
  std::optional<StringCodec> codec_;
};

// Ordered immutable sequence of entities; copies share the elements.
class Tuple {
 public:
  Tuple();
  Tuple(std::initializer_list<Entity> items);
  explicit Tuple(std::vector<Entity> items);

  std::size_t size() const noexcept;
  bool empty() const noexcept { return size() == 0; }
  const Entity& operator[](std::size_t i) const;
  const Entity& at(std::size_t i) const;  // throws EntityTypeError when out of range
  const Entity* begin() const noexcept;
  const Entity* end() const noexcept;
  std::span<const Entity> span() const noexcept;  // out of line: Entity is incomplete here
  const std::vector<Entity>& items() const noexcept { return *items_; }

  friend bool operator==(const Tuple& a, const Tuple& b);

 private:
  std::shared_ptr<const std::vector<Entity>> items_;
};

// VException: the arguments of a remote exception.
struct Exception {
  Tuple args;
  friend bool operator==(const Exception&, const Exception&) = default;
};

// VTagged: a value plus zero or more tags. Stored as one tuple (value first), as on the wire.
class Tagged {
 public:
  Tagged(Entity value, std::vector<Entity> tags);
  // `parts` must hold at least the value; throws EntityTypeError otherwise.
  explicit Tagged(Tuple parts);

  const Entity& value() const;
  std::span<const Entity> tags() const;
  const Tuple& parts() const noexcept { return parts_; }
  friend bool operator==(const Tagged&, const Tagged&) = default;

 private:
  Tuple parts_;
};

// Anything that can travel as an object reference: local published objects and proxies for
// peer objects both derive from it. The link resolves it to an id when encoding.
class Object : public std::enable_shared_from_this<Object> {
 public:
  virtual ~Object() = default;
};

// An object reference. Either a live object, or a raw wire reference (decoded without a
// link, e.g. by `vpstream entity decode`): fc = sender-owned ("local"), fd = receiver-owned
// ("remote") in the direction it was read.
class ObjectRef {
 public:
  enum class Owner : std::uint8_t { sender, receiver };

  explicit ObjectRef(std::shared_ptr<Object> object);
  static ObjectRef raw(Owner owner, Integer id);

  bool is_raw() const noexcept { return !object_; }
  Owner raw_owner() const noexcept { return owner_; }
  const Integer& raw_id() const noexcept { return id_; }
  const std::shared_ptr<Object>& object() const noexcept { return object_; }
  template <class T>
  std::shared_ptr<T> as() const {
    return std::dynamic_pointer_cast<T>(object_);
  }

  friend bool operator==(const ObjectRef& a, const ObjectRef& b) noexcept;
  std::size_t hash() const noexcept;

 private:
  ObjectRef() = default;
  std::shared_ptr<Object> object_;
  Owner owner_ = Owner::sender;
  Integer id_;
};

enum class EntityType : std::uint8_t {
  none, boolean, integer, floating, bytes, string, tuple, exception, tagged, reference
};
std::string_view to_string(EntityType t) noexcept;

class Entity {
 public:
  using Value =
      std::variant<None, bool, Integer, Float, Bytes, String, Tuple, Exception, Tagged, ObjectRef>;

  Entity() noexcept = default;
  Entity(None) noexcept {}
  Entity(bool b) noexcept : v_(b) {}
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  Entity(T v) : v_(Integer(v)) {}
  Entity(Integer v) : v_(std::move(v)) {}
  Entity(Float v) : v_(std::move(v)) {}
  Entity(double v) : v_(Float::from_double(v)) {}
  Entity(Bytes v) : v_(std::move(v)) {}
  Entity(String v) : v_(std::move(v)) {}
  Entity(const char* utf8) : v_(String(utf8)) {}
  Entity(std::string utf8) : v_(String(std::move(utf8))) {}
  Entity(std::string_view utf8) : v_(String(std::string(utf8))) {}
  Entity(Tuple v) : v_(std::move(v)) {}
  Entity(std::vector<Entity> items) : v_(Tuple(std::move(items))) {}
  Entity(Exception v) : v_(std::move(v)) {}
  Entity(Tagged v) : v_(std::move(v)) {}
  Entity(ObjectRef v) : v_(std::move(v)) {}
  Entity(std::shared_ptr<Object> obj) : v_(ObjectRef(std::move(obj))) {}

  EntityType type() const noexcept { return static_cast<EntityType>(v_.index()); }
  const Value& value() const noexcept { return v_; }

  template <class T>
  bool is() const noexcept {
    return std::holds_alternative<T>(v_);
  }
  bool is_none() const noexcept { return is<None>(); }
  // Throws EntityTypeError naming the expected and the actual type.
  template <class T>
  const T& get() const {
    if (const T* p = std::get_if<T>(&v_)) return *p;
    throw_type_error(index_of<T>());
  }
  template <class T>
  const T* get_if() const noexcept {
    return std::get_if<T>(&v_);
  }

  // Convenience accessors; throw EntityTypeError on a type mismatch or out-of-range value.
  bool as_bool() const { return get<bool>(); }
  std::int64_t as_int64() const;
  const std::string& as_string() const { return get<String>().str(); }
  const Bytes& as_bytes() const { return get<Bytes>(); }
  const Tuple& as_tuple() const { return get<Tuple>(); }
  // Conversion through EntityConverter<T> (include the header that specialises it).
  template <class T>
  T as() const {
    return EntityConverter<T>::from_entity(*this);
  }

  friend bool operator==(const Entity& a, const Entity& b);
  std::size_t hash() const noexcept;

 private:
  template <class T, std::size_t I = 0>
  static constexpr std::size_t index_of() {
    if constexpr (std::is_same_v<std::variant_alternative_t<I, Value>, T>) {
      return I;
    } else {
      return index_of<T, I + 1>();
    }
  }
  [[noreturn]] void throw_type_error(std::size_t expected_index) const;
  Value v_;
};

// Printing: Python-str-like and meant for people. A top-level string prints as its text,
// everything else (and strings inside containers) in a compact repr: None, True, 5, floats as
// the shortest double when the triple is exactly a base-2 double (-2.5) or as a decimal for
// base 10 (1.50), any other triple as digits*base^exp (42*7^-5), b'..', 'text', (a, b), (a,),
// VException(..), VTagged(v; t1, t2), <local 3>/<remote 3> for raw references and
// <object 0x..> for live ones.
std::ostream& operator<<(std::ostream& os, const Entity& e);
std::string to_display_string(const Entity& e);

}  // namespace versile

template <>
struct std::hash<versile::Entity> {
  std::size_t operator()(const versile::Entity& e) const noexcept { return e.hash(); }
};
template <>
struct std::hash<versile::Integer> {
  std::size_t operator()(const versile::Integer& i) const noexcept { return i.hash(); }
};
