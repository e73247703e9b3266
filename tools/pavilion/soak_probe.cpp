// /proc readers for the soak: one process's memory and descriptors, the tree under the soak,
// and the zombies that stay in it.
#include "soak_probe.h"

#include <dirent.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unordered_map>

namespace pav::tools::soak {
namespace {

bool readStat(int pid, ProcInfo& out) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!in || !std::getline(in, text)) return false;
  // "pid (comm) S ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
  //  cutime cstime priority nice threads itrealvalue starttime ..."; comm may hold spaces and ')'.
  const size_t open = text.find('('), close = text.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return false;
  out.pid = pid;
  out.comm = text.substr(open + 1, close - open - 1);
  std::istringstream rest(text.substr(close + 1));
  std::string field;
  std::vector<std::string> fields;
  while (rest >> field && fields.size() < 20) fields.push_back(field);
  if (fields.size() < 20) return false;
  out.state = fields[0].empty() ? '?' : fields[0][0];
  out.ppid = std::atoi(fields[1].c_str());
  out.startTicks = std::strtoull(fields[19].c_str(), nullptr, 10);  // field 22 of stat
  return true;
}

std::vector<ProcInfo> allProcesses() {
  std::vector<ProcInfo> out;
  DIR* dir = opendir("/proc");
  if (!dir) return out;
  while (const dirent* e = readdir(dir)) {
    const std::string name = e->d_name;
    if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
    ProcInfo p;
    if (readStat(std::atoi(name.c_str()), p)) out.push_back(p);
  }
  closedir(dir);
  return out;
}

}  // namespace

ProcSample sampleProcess(int pid) {
  ProcSample s;
  if (pid <= 0) return s;
  const std::string base = "/proc/" + std::to_string(pid);
  std::ifstream status(base + "/status");
  std::string line;
  bool haveRss = false;
  while (status && std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      s.rssKiB = std::strtoull(line.c_str() + 6, nullptr, 10);
      haveRss = true;
      break;
    }
  }
  DIR* dir = opendir((base + "/fd").c_str());
  if (!dir || !haveRss) {
    if (dir) closedir(dir);
    return s;
  }
  uint32_t count = 0;
  while (const dirent* e = readdir(dir))
    if (e->d_name[0] != '.') ++count;
  closedir(dir);
  s.fds = count > 0 ? count - 1 : 0;  // less the descriptor opendir itself holds
  s.valid = true;
  return s;
}

std::vector<ProcInfo> descendants(int root) {
  const std::vector<ProcInfo> all = allProcesses();
  std::unordered_map<int, int> parent;
  for (const ProcInfo& p : all) parent[p.pid] = p.ppid;
  std::vector<ProcInfo> out;
  for (const ProcInfo& p : all) {
    int at = p.ppid;
    for (int depth = 0; at > 1 && depth < 64; ++depth) {
      if (at == root) {
        out.push_back(p);
        break;
      }
      const auto it = parent.find(at);
      if (it == parent.end()) break;
      at = it->second;
    }
  }
  return out;
}

void ZombieWatch::sample(int root, double now) {
  std::vector<Seen> next;
  current_ = 0;
  for (const ProcInfo& p : descendants(root)) {
    if (p.state != 'Z' || p.ppid == root) continue;
    ++current_;
    const auto it = std::find_if(seen_.begin(), seen_.end(),
                                 [&](const Seen& s) { return s.pid == p.pid && s.startTicks == p.startTicks; });
    Seen s = it != seen_.end() ? *it : Seen{p.pid, p.startTicks, now, false};
    if (!s.counted && now - s.since >= persist_) {
      s.counted = true;
      ++persistent_;
      if (examples_.size() < 20)
        examples_.push_back(std::to_string(p.pid) + " (" + p.comm + ", child of " + std::to_string(p.ppid) + ")");
    }
    next.push_back(s);
  }
  seen_ = std::move(next);
}

}  // namespace pav::tools::soak
