// Raw-Vulkan reproduction of a multiview clipping fault (no engine code). Three triangles,
// drawn by one draw in a 2-view multiview pass; view 0 puts them in the left half of the
// picture, view 1 in the right half. T0 (red) needs no clipping; T1 (green) crosses the near
// plane (one vertex z < 0); T2 (blue) crosses the bottom edge far past the guard band.
#version 450
#extension GL_EXT_multiview : require
layout(location = 0) out vec4 color;
void main() {
  const float off = gl_ViewIndex == 0 ? -0.5 : 0.5;
  const int tri = gl_VertexIndex / 3, k = gl_VertexIndex % 3;
  vec4 p;
  if (tri == 0) {
    p = k == 0 ? vec4(-0.3, -0.9, 0.5, 1) : k == 1 ? vec4(0.3, -0.9, 0.5, 1) : vec4(0.0, -0.4, 0.5, 1);
    color = vec4(1, 0, 0, 1);
  } else if (tri == 1) {
    p = k == 0 ? vec4(-0.3, -0.3, 0.5, 1) : k == 1 ? vec4(0.3, -0.3, 0.5, 1) : vec4(0.0, 0.2, -1.0, 1);
    color = vec4(0, 1, 0, 1);
  } else {
    p = k == 0 ? vec4(-0.3, 0.4, 0.5, 1) : k == 1 ? vec4(0.3, 0.4, 0.5, 1) : vec4(0.0, 1.0e5, 0.5, 1);
    color = vec4(0, 0, 1, 1);
  }
  gl_Position = vec4(p.x + off * p.w, p.yzw);
}
