// The gateway of a link that has nothing to offer (link_pair(nullptr, ...)): like the
// reference's bare VObject it answers every call, meta calls included, with CALL_ERROR
// (link.md §6.1, verified).
#pragma once

#include <memory>

#include "entity/entity.hpp"
#include "link/call_target.hpp"

namespace versile {

class PlainGateway final : public Object, public link::CallTarget {
 public:
  void handle_call(link::CallRequest request) override;
};

std::shared_ptr<PlainGateway> make_plain_gateway();

}  // namespace versile
