// The title registry. Small on purpose: an ordered map from id to factory. Titles register
// from their own translation unit through registerTitle (games/ calls it at start-up via
// pav::games::registerAll, so no static-initialisation order games are played).
#include <algorithm>
#include <map>
#include <mutex>

#include "pav/core/error.h"
#include "pav/core/title.h"

namespace pav::core {
namespace {

std::map<std::string, TitleFactory, std::less<>>& registry() {
  static std::map<std::string, TitleFactory, std::less<>> r;
  return r;
}
std::mutex& registryMutex() {
  static std::mutex m;
  return m;
}

}  // namespace

void registerTitle(std::string_view id, TitleFactory factory) {
  PAV_CHECK(!id.empty() && factory, "registerTitle: a title needs an id and a factory");
  std::lock_guard lock(registryMutex());
  registry()[std::string(id)] = std::move(factory);
}

std::unique_ptr<Title> createTitle(std::string_view id) {
  TitleFactory factory;
  {
    std::lock_guard lock(registryMutex());
    const auto it = registry().find(id);
    if (it == registry().end()) return nullptr;
    factory = it->second;
  }
  return factory();
}

std::vector<std::string> titleIds() {
  std::lock_guard lock(registryMutex());
  std::vector<std::string> ids;
  for (const auto& [id, factory] : registry()) ids.push_back(id);
  return ids;
}

}  // namespace pav::core
