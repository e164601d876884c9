/* Draw list builders: commands merge while texture and clip stay the same and split when
 * either changes; clips intersect and nest; rounded rectangles, polylines and convex fills
 * carry a one-pixel feather (opaque inside, transparent outside) whatever their winding;
 * shapes outside the clip add nothing; scene slots are their own commands. */
#include <math.h>

#include "draw/draw.h"
#include "test.h"

#define RED REEL_RGBA(255, 0, 0, 255)

static reel_draw_list fresh(void)
{
    reel_draw_list list;
    reel_draw_list_init(&list);
    reel_draw_list_reset(&list, 800, 600, 0.5f, 0.75f);
    return list;
}

TEST(rects_merge_into_one_command)
{
    reel_draw_list list = fresh();
    CHECK_EQ_INT(list.n_cmds, 0);
    reel_draw_rect_filled(&list, 10, 10, 50, 30, 0, RED);
    reel_draw_rect_filled(&list, 60, 10, 90, 30, 0, RED);
    CHECK_EQ_INT(list.n_cmds, 1);
    CHECK_EQ_INT(list.n_vertices, 8);
    CHECK_EQ_INT(list.n_indices, 12);
    CHECK_EQ_INT(list.cmds[0].texture, REEL_DRAW_ATLAS);
    CHECK_EQ_INT(list.cmds[0].index_count, 12);
    CHECK_EQ_INT(list.cmds[0].scene, -1);
    CHECK(list.cmds[0].clip[2] == 800 && list.cmds[0].clip[3] == 600);
    /* Solid fills sample the atlas's white texel. */
    CHECK(list.vertices[0].u == 0.5f && list.vertices[0].v == 0.75f);
    CHECK_EQ_U64(list.vertices[0].rgba, RED);
    for (uint32_t i = 0; i < list.n_indices; i++)
        CHECK(list.indices[i] < list.n_vertices);
    reel_draw_list_free(&list);
}

TEST(clip_changes_split_commands_and_intersect)
{
    reel_draw_list list = fresh();
    reel_draw_rect_filled(&list, 0, 0, 10, 10, 0, RED);
    reel_draw_push_clip(&list, 100, 100, 300, 300);
    reel_draw_push_clip(&list, 200, 50, 400, 250); /* nested: intersected with the outer */
    reel_draw_rect_filled(&list, 150, 150, 260, 260, 0, RED);
    CHECK_EQ_INT(list.n_cmds, 2);
    CHECK(list.cmds[1].clip[0] == 200 && list.cmds[1].clip[1] == 100);
    CHECK(list.cmds[1].clip[2] == 300 && list.cmds[1].clip[3] == 250);
    reel_draw_pop_clip(&list);
    reel_draw_pop_clip(&list);
    reel_draw_rect_filled(&list, 0, 0, 10, 10, 0, RED);
    CHECK_EQ_INT(list.n_cmds, 3);
    CHECK(list.cmds[2].clip[2] == 800);
    /* A push and pop with nothing drawn in between adds no command. */
    reel_draw_push_clip(&list, 1, 1, 2, 2);
    reel_draw_pop_clip(&list);
    reel_draw_rect_filled(&list, 20, 0, 30, 10, 0, RED);
    CHECK_EQ_INT(list.n_cmds, 3);
    /* More pushes than the stack holds, then as many pops: balanced, no crash. */
    for (int i = 0; i < 40; i++)
        reel_draw_push_clip(&list, (float)i, 0, 800, 600);
    for (int i = 0; i < 40; i++)
        reel_draw_pop_clip(&list);
    CHECK_EQ_INT(list.clip_depth, 1);
    reel_draw_pop_clip(&list); /* never below the target's clip */
    CHECK_EQ_INT(list.clip_depth, 1);
    reel_draw_list_free(&list);
}

TEST(textures_and_scenes_split_commands)
{
    reel_draw_list list = fresh();
    reel_draw_rect_filled(&list, 0, 0, 10, 10, 0, RED);
    reel_draw_image(&list, 2, 10, 10, 74, 58, 0, 0, 1, 1, 0xffffffffu);
    CHECK_EQ_INT(list.n_cmds, 2);
    CHECK_EQ_INT(list.cmds[1].texture, 2);
    CHECK(list.vertices[4].x == 10 && list.vertices[6].y == 58 && list.vertices[6].u == 1);
    reel_draw_image(&list, 2, 80, 10, 90, 20, 0, 0, 1, 1, 0xffffffffu);
    CHECK_EQ_INT(list.n_cmds, 2);
    reel_draw_push_clip(&list, 100, 100, 200, 200);
    reel_draw_scene_here(&list, 3);
    reel_draw_pop_clip(&list);
    CHECK_EQ_INT(list.n_cmds, 3);
    CHECK_EQ_INT(list.cmds[2].scene, 3);
    CHECK_EQ_INT(list.cmds[2].index_count, 0);
    CHECK(list.cmds[2].clip[0] == 100 && list.cmds[2].clip[3] == 200);
    reel_draw_rect_filled(&list, 0, 0, 10, 10, 0, RED); /* never merged into the scene */
    CHECK_EQ_INT(list.n_cmds, 4);
    CHECK_EQ_INT(list.cmds[3].scene, -1);
    CHECK_EQ_INT(list.cmds[3].first_index, list.cmds[1].first_index + list.cmds[1].index_count);
    reel_draw_list_free(&list);
}

TEST(rounded_rect_is_feathered_inside_its_box)
{
    reel_draw_list list = fresh();
    reel_draw_rect_filled(&list, 100, 100, 200, 140, 8, RED);
    CHECK(list.n_vertices > 16);
    uint32_t opaque = 0, clear = 0;
    for (uint32_t i = 0; i < list.n_vertices; i++) {
        const reel_draw_vertex *v = &list.vertices[i];
        CHECK(v->x >= 99.4f && v->x <= 200.6f && v->y >= 99.4f && v->y <= 140.6f);
        if (v->rgba >> 24 == 255)
            opaque++;
        else if (v->rgba >> 24 == 0)
            clear++;
        CHECK_EQ_U64(v->rgba & 0xffffffu, RED & 0xffffffu);
    }
    CHECK_EQ_INT(opaque, clear);
    /* Corners are cut: no vertex near the box's exact corner. */
    for (uint32_t i = 0; i < list.n_vertices; i++)
        CHECK(!(list.vertices[i].x < 101 && list.vertices[i].y < 101));
    reel_draw_list_free(&list);
}

static void check_feather_outward(const reel_draw_list *list, float cx, float cy)
{
    /* Convex fill vertices come in (inner opaque, outer clear) pairs. */
    for (uint32_t i = 0; i + 1 < list->n_vertices; i += 2) {
        const reel_draw_vertex *inner = &list->vertices[i], *outer = &list->vertices[i + 1];
        CHECK_EQ_INT(inner->rgba >> 24, 255);
        CHECK_EQ_INT(outer->rgba >> 24, 0);
        float di = hypotf(inner->x - cx, inner->y - cy),
              dout = hypotf(outer->x - cx, outer->y - cy);
        CHECK(dout > di);
    }
}

TEST(triangles_feather_outward_in_both_windings)
{
    const float clockwise[6] = {100, 100, 200, 100, 150, 200};
    const float counter[6] = {100, 100, 150, 200, 200, 100};
    reel_draw_list list = fresh();
    reel_draw_triangle_filled(&list, clockwise, RED);
    CHECK_EQ_INT(list.n_vertices, 6);
    CHECK_EQ_INT(list.n_indices, 3 + 18);
    check_feather_outward(&list, 150, 133);
    reel_draw_list_reset(&list, 800, 600, 0, 0);
    reel_draw_triangle_filled(&list, counter, RED);
    check_feather_outward(&list, 150, 133);
    reel_draw_list_reset(&list, 800, 600, 0, 0);
    reel_draw_circle_filled(&list, 300, 300, 20, RED);
    CHECK(list.n_vertices >= 16);
    check_feather_outward(&list, 300, 300);
    reel_draw_list_free(&list);
}

TEST(polyline_has_a_solid_core_and_clear_edges)
{
    reel_draw_list list = fresh();
    const float path[6] = {10, 10, 110, 10, 110, 60};
    reel_draw_polyline(&list, path, 3, 3.0f, RED, false);
    CHECK_EQ_INT(list.n_vertices, 12);
    CHECK_EQ_INT(list.n_indices, 2 * 18);
    /* First point, across the line: edge, core, core, edge; a 3 px line is a 2 px core with
     * a 1 px ramp each side (its coverage integrates to 3 px). */
    CHECK_EQ_INT(list.vertices[0].rgba >> 24, 0);
    CHECK_EQ_INT(list.vertices[1].rgba >> 24, 255);
    CHECK_EQ_INT(list.vertices[2].rgba >> 24, 255);
    CHECK_EQ_INT(list.vertices[3].rgba >> 24, 0);
    CHECK_NEAR(fabsf(list.vertices[0].y - 10), 2.0f, 1e-4);
    CHECK_NEAR(fabsf(list.vertices[1].y - 10), 1.0f, 1e-4);
    CHECK_NEAR(list.vertices[0].x, 10, 1e-4);
    /* A thin line fades instead of thinning below a pixel. */
    reel_draw_list_reset(&list, 800, 600, 0, 0);
    reel_draw_line(&list, 0, 0, 100, 100, 0.5f, RED);
    CHECK_EQ_INT(list.vertices[1].rgba >> 24, 127);
    /* Closed paths join the last point to the first. */
    reel_draw_list_reset(&list, 800, 600, 0, 0);
    reel_draw_polyline(&list, path, 3, 2.0f, RED, true);
    CHECK_EQ_INT(list.n_indices, 3 * 18);
    /* Outlines: a closed stroke inside the box. */
    reel_draw_list_reset(&list, 800, 600, 0, 0);
    reel_draw_rect_outline(&list, 10, 10, 50, 50, 0, 2, RED);
    CHECK_EQ_INT(list.n_vertices, 16);
    for (uint32_t i = 0; i < list.n_vertices; i++)
        if (list.vertices[i].rgba >> 24 == 255)
            CHECK(list.vertices[i].x >= 10 && list.vertices[i].x <= 50);
    reel_draw_list_free(&list);
}

TEST(shapes_outside_the_clip_add_nothing)
{
    reel_draw_list list = fresh();
    reel_draw_push_clip(&list, 0, 0, 100, 100);
    reel_draw_rect_filled(&list, 200, 200, 300, 300, 4, RED);
    reel_draw_circle_filled(&list, 500, 500, 10, RED);
    reel_draw_line(&list, 300, 300, 400, 400, 2, RED);
    reel_draw_image(&list, 1, 150, 0, 200, 50, 0, 0, 1, 1, RED);
    CHECK_EQ_INT(list.n_vertices, 0);
    reel_draw_push_clip(&list, 50, 50, 40, 40); /* empty */
    reel_draw_rect_filled(&list, 0, 0, 100, 100, 0, RED);
    CHECK_EQ_INT(list.n_vertices, 0);
    reel_draw_rect_filled(&list, 0, 0, 100, 100, 0, 0); /* invisible */
    CHECK_EQ_INT(list.n_vertices, 0);
    reel_draw_list_free(&list);
}

TEST(reserve_gives_absolute_indices_and_grows)
{
    reel_draw_list list = fresh();
    for (int i = 0; i < 5000; i++)
        reel_draw_rect_filled(&list, (float)(i % 700), 0, (float)(i % 700) + 5, 5, 0, RED);
    CHECK(!list.failed);
    CHECK_EQ_INT(list.n_vertices, 20000);
    CHECK_EQ_INT(list.n_cmds, 1);
    uint32_t *indices, base;
    reel_draw_vertex *v = reel_draw_reserve(&list, 7, 3, 3, &indices, &base);
    CHECK(v != NULL);
    CHECK_EQ_INT(base, 20000);
    CHECK_EQ_INT(list.n_cmds, 2);
    CHECK_EQ_INT(list.cmds[1].index_count, 3);
    reel_draw_list_reset(&list, 10, 10, 0, 0);
    CHECK_EQ_INT(list.n_vertices, 0);
    CHECK_EQ_INT(list.n_cmds, 0);
    reel_draw_list_free(&list);
    reel_draw_list_free(&list); /* freeing twice is harmless */
}

int main(void)
{
    RUN(rects_merge_into_one_command);
    RUN(clip_changes_split_commands_and_intersect);
    RUN(textures_and_scenes_split_commands);
    RUN(rounded_rect_is_feathered_inside_its_box);
    RUN(triangles_feather_outward_in_both_windings);
    RUN(polyline_has_a_solid_core_and_clear_edges);
    RUN(shapes_outside_the_clip_add_nothing);
    RUN(reserve_gives_absolute_indices_and_grows);
    TEST_MAIN_END();
}
