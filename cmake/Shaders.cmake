# pav_add_shaders(TARGET name SOURCES a.vert b.frag ... [OUTPUT_DIR dir])
# Compiles GLSL to SPIR-V with glslc at build time into OUTPUT_DIR (default
# ${CMAKE_BINARY_DIR}/shaders) as <file>.spv.
# A GLSL error fails the build with glslc's own message; includes are tracked through depfiles.
# PAV_GLSLC_FLAGS are glslc's flags here and in shader hot reload (pav_render compiles with the
# same ones when a source changes under a running window), so both make the same SPIR-V.
set(PAV_GLSLC_FLAGS --target-env=vulkan1.1 -O -Werror)
function(pav_add_shaders)
  cmake_parse_arguments(ARG "" "TARGET;OUTPUT_DIR" "SOURCES" ${ARGN})
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR ${CMAKE_BINARY_DIR}/shaders)
  endif()
  file(MAKE_DIRECTORY ${ARG_OUTPUT_DIR})
  set(outputs)
  foreach(src IN LISTS ARG_SOURCES)
    get_filename_component(name ${src} NAME)
    get_filename_component(in ${src} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    set(out ${ARG_OUTPUT_DIR}/${name}.spv)
    add_custom_command(
      OUTPUT ${out}
      COMMAND ${GLSLC} ${PAV_GLSLC_FLAGS} -MD -MF ${out}.d -o ${out} ${in}
      DEPENDS ${in}
      DEPFILE ${out}.d
      COMMENT "glslc ${name}"
      VERBATIM)
    list(APPEND outputs ${out})
  endforeach()
  add_custom_target(${ARG_TARGET} ALL DEPENDS ${outputs})
endfunction()
