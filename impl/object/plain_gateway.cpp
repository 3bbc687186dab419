#include "object/plain_gateway.hpp"

#include "object/dispatch_error.hpp"

namespace versile {

void PlainGateway::handle_call(link::CallRequest request) {
  request.responder.failure(make_error_code(DispatchErrc::not_callable));
}

std::shared_ptr<PlainGateway> make_plain_gateway() { return std::make_shared<PlainGateway>(); }

}  // namespace versile
