#include "gateway/name_sorter.hpp"

#include <algorithm>

#include "gateway/stream_methods.hpp"

namespace vpstream::conformance {

NameSorter::NameSorter() {
  publish("add", &NameSorter::add, {.doc = "add(name): appends a name", .show = true});
  publish("reset", &NameSorter::reset,
          {.doc = "reset() -> entity streamer over the sorted names; empties the list", .show = true});
}

void NameSorter::add(std::string name) {
  std::scoped_lock lock(mutex_);
  names_.push_back(std::move(name));
}

versile::Entity NameSorter::reset() {
  std::vector<std::string> names;
  {
    std::scoped_lock lock(mutex_);
    names.swap(names_);
  }
  std::ranges::sort(names);  // byte order of UTF-8 = code point order, like the reference
  return names_streamer(std::move(names));
}

}  // namespace vpstream::conformance
