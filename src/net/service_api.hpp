// Helpers for the HTTP APIs of AI services (OpenAI-compatible chat and embeddings servers,
// speech-to-text servers): where an endpoint lives under a configured base URL, and what a
// service said in an error body. Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace hark::net {

// The URL of `endpoint` ("/chat/completions", "/embeddings") under an OpenAI-compatible
// base URL as users write it: a URL that already ends with the endpoint is used as it is;
// one with a path ("http://host/v1", "https://api.example.com/openai/v1") gets the endpoint
// appended; a bare origin ("http://localhost:11434") gets "/v1" and then the endpoint.
// Surrounding spaces and trailing slashes are ignored.
std::string openai_endpoint_url(std::string_view base_url, std::string_view endpoint);

// The explanation a service gave in an error body, at most 300 bytes of valid UTF-8:
// OpenAI's {"error": {"message": ...}}, {"error": "..."} (whisper.cpp, llama.cpp),
// FastAPI's {"detail": ...}, {"message": ...}, else the start of the body as plain text
// with whitespace collapsed. "" for an empty body.
std::string service_message(std::string_view body);

}  // namespace hark::net
