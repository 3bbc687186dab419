#include "gateway/conformance_gateway.hpp"

#include <string>

#include "gateway/name_sorter.hpp"
#include "object/vexception.hpp"
#include "gateway/stream_methods.hpp"

namespace vpstream::conformance {

ConformanceGateway::ConformanceGateway()
    : External("vpstream conformance gateway (conformance-gateway.md)") {
  publish("echo", [](versile::Entity value) { return value; },
          {.doc = "echo(value) -> value", .show = true});
  publish("add",
          [](const versile::Integer& a, const versile::Integer& b) {
            return versile::Integer(a.to_big() + b.to_big());
          },
          {.doc = "add(a, b) -> a + b (integers of any size)", .show = true});
  publish("fail", [](std::string message) -> void { throw versile::VException(std::move(message)); },
          {.doc = "fail(message): raises VException(message)", .show = true});
  publish("name_sorter", [] { return std::make_shared<NameSorter>(); },
          {.doc = "name_sorter() -> NameSorter with add(name) and reset()", .show = true});
  publish_stream_methods(*this);
}

std::shared_ptr<ConformanceGateway> make_gateway() { return std::make_shared<ConformanceGateway>(); }

}  // namespace vpstream::conformance
