// NameSorter: the stream recipe's object (link.md §12, conformance-gateway.md name_sorter).
// add(name) appends a name; reset() returns an entity streamer over the sorted names and
// empties the list.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "entity/entity.hpp"
#include "object/external.hpp"

namespace vpstream::conformance {

class NameSorter : public versile::External {
 public:
  NameSorter();

  void add(std::string name);
  // An entity streamer proxy over the sorted names.
  versile::Entity reset();

 private:
  std::mutex mutex_;
  std::vector<std::string> names_;
};

}  // namespace vpstream::conformance
