#include "app/exports.hpp"

#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "core/time.hpp"
#include "export/markdown.hpp"

namespace hark::app {
namespace {

namespace fs = std::filesystem;

Error cannot_write(const fs::path& where, const std::string& reason) {
  return invalid_input("cannot write notes to " + where.string() + ": " + reason +
                       " (choose a folder you can write to with --out)");
}

Result<std::string> read_text(const fs::path& path, std::size_t max_bytes = 64 << 20) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("cannot read " + path.string());
  std::string text;
  char buffer[1 << 14];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes) break;
  }
  return text;
}

// Notes already in the folder, by the episode id in their front matter.
std::map<Id, fs::path> existing_notes(const fs::path& dir) {
  std::map<Id, fs::path> found;
  std::error_code ec;
  for (auto it =
           fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->path().extension() != ".md") continue;
    auto head = read_text(it->path(), 8 << 10);
    if (!head) continue;
    if (const auto id = exports::note_episode_id(*head)) found.emplace(*id, it->path());
  }
  return found;
}

}  // namespace

std::string note_transcript_text(const Transcript& transcript) {
  std::string out;
  std::string last_speaker = "\x01";
  for (const auto& segment : transcript.segments) {
    if (segment.speaker != last_speaker || out.empty()) {
      if (!out.empty()) out += "\n\n";
      if (transcript.timed) out += "[" + format_clock(segment.start_ms) + "] ";
      if (!segment.speaker.empty()) {
        std::string name = segment.speaker;
        for (const auto& sp : transcript.speakers)
          if (sp.id == segment.speaker && !sp.name.empty()) name = sp.name;
        out += "**" + name + ":** ";
      }
      last_speaker = segment.speaker;
    } else {
      out += ' ';
    }
    out += segment.text;
  }
  return out;
}

Status write_file_atomically(const fs::path& path, std::string_view text) {
  std::random_device rd;
  const fs::path tmp =
      path.parent_path() / ("." + path.filename().string() + "." + std::to_string(rd()) + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return cannot_write(path.parent_path(), "cannot create a file there");
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
    if (!out) {
      std::error_code ignored;
      fs::remove(tmp, ignored);
      return cannot_write(path.parent_path(), "writing " + path.filename().string() + " failed");
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    return cannot_write(path.parent_path(), ec.message());
  }
  return ok();
}

Result<MarkdownExportOutcome> export_markdown(store::Store& store, Id user_id,
                                              const MarkdownExportOptions& options) {
  std::string note_template(exports::kDefaultNoteTemplate);
  if (options.template_file) {
    auto text = read_text(*options.template_file);
    if (!text)
      return not_found("cannot read the note template " + options.template_file->string() +
                       " (check the path given with --template)");
    note_template = std::move(*text);
  }

  // Gather and render every note before touching the folder.
  auto snips = store.snips().list(user_id, options.episode);
  if (!snips) return snips.error();
  std::map<Id, std::vector<store::Snip>> by_episode;
  if (options.episode) by_episode[*options.episode];
  for (auto& s : *snips) by_episode[s.episode_id].push_back(std::move(s));
  if (by_episode.empty())
    return not_found("you have no snips to export yet (make one: hark snip EPISODE --at 12:34)");

  struct Rendered {
    Id episode_id;
    fs::path default_path;
    std::string front;
    std::string block;
  };
  std::vector<Rendered> notes;
  std::map<Id, Podcast> podcasts;
  for (auto& [episode_id, episode_snips] : by_episode) {
    exports::EpisodeNote note;
    auto episode = store.episodes().find(episode_id);
    if (!episode) return episode.error();
    note.episode = std::move(*episode);
    if (!podcasts.contains(note.episode.podcast_id)) {
      auto podcast = store.podcasts().find(note.episode.podcast_id);
      if (!podcast) return podcast.error();
      podcasts.emplace(note.episode.podcast_id, std::move(*podcast));
    }
    note.podcast = podcasts.at(note.episode.podcast_id);
    auto summary = store.summaries().find(episode_id);
    if (!summary) return summary.error();
    note.summary = std::move(*summary);
    note.snips = std::move(episode_snips);
    note.public_url = options.public_url;
    if (options.transcript) {
      auto transcript = store.transcripts().find(episode_id);
      if (!transcript) return transcript.error();
      if (*transcript) note.transcript = note_transcript_text(**transcript);
    }
    auto block = exports::render_block(note, note_template);
    if (!block) return block.error().with_context("the note template");
    notes.push_back({episode_id,
                     options.out_dir / exports::safe_folder_name(note.podcast.title) /
                         exports::note_file_name(note.episode),
                     exports::render_owned_front_matter(note), std::move(*block)});
  }

  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec) return cannot_write(options.out_dir, ec.message());
  if (!fs::is_directory(options.out_dir, ec)) return cannot_write(options.out_dir, "not a folder");
  const auto existing = existing_notes(options.out_dir);

  MarkdownExportOutcome outcome;
  for (const auto& n : notes) {
    const auto found = existing.find(n.episode_id);
    const fs::path path = found != existing.end() ? found->second : n.default_path;
    std::string before;
    if (fs::exists(path, ec)) {
      auto text = read_text(path);
      if (!text) return cannot_write(path.parent_path(), "cannot read " + path.filename().string());
      before = std::move(*text);
    }
    const std::string after = exports::merge_note(before, n.front, n.block);
    outcome.files.push_back(path);
    if (after == before) {
      ++outcome.unchanged;
      continue;
    }
    fs::create_directories(path.parent_path(), ec);
    if (ec) return cannot_write(path.parent_path(), ec.message());
    HARK_TRY(write_file_atomically(path, after));
    ++outcome.written;
  }
  return outcome;
}

}  // namespace hark::app
