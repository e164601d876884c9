# The browser build (`make web`: emcmake cmake -B build-web): the web app, a page that draws a
# test frame through the same platform (Emscripten's GLFW) and render code as native. Needs
# NODE_PATH=/usr/share/nodejs for Debian's emscripten at -O2 and -sMINIFY_HTML=0
# (shared/reference/toolchain.md (d)).
add_executable(reel_web ${PROJECT_SOURCE_DIR}/src/platform/web/main_web.c)
set_target_properties(reel_web PROPERTIES OUTPUT_NAME index SUFFIX ".html"
                      RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/web)
target_link_libraries(reel_web PRIVATE reel_viewer_lib reel)
reel_target_warnings(reel_web)
target_link_options(reel_web PRIVATE
    -sUSE_GLFW=3 -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2 -sALLOW_MEMORY_GROWTH
    -sMINIFY_HTML=0 --shell-file ${PROJECT_SOURCE_DIR}/src/platform/web/shell.html)
set_property(TARGET reel_web APPEND PROPERTY LINK_DEPENDS
             ${PROJECT_SOURCE_DIR}/src/platform/web/shell.html)
