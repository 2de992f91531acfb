# Every dependency comes from the distribution's packages (see scripts/install-deps.sh).
# Nothing is downloaded at configure time.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(pugixml REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(CLI11 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(CURL REQUIRED)
find_package(ICU REQUIRED COMPONENTS uc i18n)

pkg_check_modules(FFMPEG REQUIRED IMPORTED_TARGET libavformat libavcodec libavutil libswresample)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(GUMBO REQUIRED IMPORTED_TARGET gumbo)

# cpp-httplib: Debian ships it compiled (libcpp-httplib.so). Used by the loopback test
# servers and benchmarks now, and by server/ later; GLOBAL so every folder can link it.
if(HARK_BUILD_TESTS OR HARK_BUILD_BENCH)
  pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET GLOBAL cpp-httplib)
  find_package(ZLIB REQUIRED)
endif()
if(HARK_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(HARK_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
