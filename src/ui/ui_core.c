/* The ui context and its frame: input snapshot, layers of draw lists joined at the end,
 * ids from an id stack, the layout stack (vertical/horizontal, indent, allocate), per-id
 * state kept across frames, and reel_ui_interact, which every widget uses to learn whether
 * the pointer hovers, presses, clicks or drags it (one hovered widget at a time, the last
 * one submitted under the pointer winning, as Dear ImGui does) and how Tab moves focus. */
#include "ui/ui_internal.h"

#include <math.h>
#include <string.h>

#include "core/core.h"

#define DRAG_THRESHOLD_PX 2.0f

/* ------------------------------------------------------------ geometry and helpers */

float reel__ui_pt(const reel_ui *ui, float points)
{
    return points * ui->scale;
}

bool reel__ui_rect_contains(reel_ui_rect rect, float x, float y)
{
    return x >= rect.x0 && x < rect.x1 && y >= rect.y0 && y < rect.y1;
}

reel_ui_rect reel__ui_rect_intersect(reel_ui_rect a, reel_ui_rect b)
{
    reel_ui_rect r = {fmaxf(a.x0, b.x0), fmaxf(a.y0, b.y0), fminf(a.x1, b.x1), fminf(a.y1, b.y1)};
    if (r.x1 < r.x0)
        r.x1 = r.x0;
    if (r.y1 < r.y0)
        r.y1 = r.y0;
    return r;
}

size_t reel__ui_label_length(const char *label)
{
    const char *hashes = label ? strstr(label, "##") : NULL;
    return label ? (hashes ? (size_t)(hashes - label) : strlen(label)) : 0;
}

reel_ui_rect reel__ui_clip(const reel_ui *ui)
{
    const reel_draw_list *list = &ui->layers[ui->layer];
    int32_t depth = list->clip_depth > 32 ? 32 : list->clip_depth;
    if (depth <= 0)
        return (reel_ui_rect){0, 0, (float)ui->input.width, (float)ui->input.height};
    const float *c = list->clip_stack[depth - 1];
    return (reel_ui_rect){c[0], c[1], c[2], c[3]};
}

void reel__ui_set_layer(reel_ui *ui, int32_t layer)
{
    ui->layer = layer < 0 ? 0 : layer >= UI_LAYERS ? UI_LAYERS - 1 : layer;
}

/* ------------------------------------------------------------ per-id state */

ui_state *reel__ui_state(reel_ui *ui, reel_ui_id id)
{
    if (id == 0)
        id = 1;
    if (ui->state_count * 2 >= ui->state_capacity) {
        uint32_t capacity = ui->state_capacity ? ui->state_capacity * 2 : 256;
        ui_state *states = reel_alloc_zeroed(NULL, (size_t)capacity * sizeof *states);
        if (!states)
            return NULL;
        for (uint32_t i = 0; i < ui->state_capacity; i++) {
            if (ui->states[i].id == 0)
                continue;
            uint32_t slot = ui->states[i].id & (capacity - 1);
            while (states[slot].id != 0)
                slot = (slot + 1) & (capacity - 1);
            states[slot] = ui->states[i];
        }
        reel_free(NULL, ui->states, (size_t)ui->state_capacity * sizeof *ui->states);
        ui->states = states;
        ui->state_capacity = capacity;
    }
    uint32_t slot = id & (ui->state_capacity - 1);
    while (ui->states[slot].id != 0 && ui->states[slot].id != id)
        slot = (slot + 1) & (ui->state_capacity - 1);
    if (ui->states[slot].id == 0) {
        memset(&ui->states[slot], 0, sizeof ui->states[slot]);
        ui->states[slot].id = id;
        ui->state_count++;
    }
    return &ui->states[slot];
}

/* ------------------------------------------------------------ ids */

static reel_ui_id hash_into(reel_ui_id seed, const void *data, size_t len)
{
    uint32_t h = seed ^ 2166136261u;
    const unsigned char *bytes = data;
    for (size_t i = 0; i < len; i++)
        h = (h ^ bytes[i]) * 16777619u;
    return h ? h : 1;
}

static reel_ui_id id_seed(const reel_ui *ui)
{
    return ui->n_ids > 0 ? ui->id_stack[ui->n_ids - 1] : 0x9e3779b9u;
}

reel_ui_id reel_ui_make_id(const reel_ui *ui, const char *label)
{
    /* "Label##id": the whole string is the id, as in Dear ImGui; "###id" ignores the label. */
    const char *only_id = label ? strstr(label, "###") : NULL;
    const char *text = only_id ? only_id : label ? label : "";
    return hash_into(id_seed(ui), text, strlen(text));
}

reel_ui_id reel_ui_make_id_ptr(const reel_ui *ui, const void *ptr)
{
    return hash_into(id_seed(ui), &ptr, sizeof ptr);
}

reel_ui_id reel_ui_make_id_int(const reel_ui *ui, int64_t value)
{
    return hash_into(id_seed(ui), &value, sizeof value);
}

static void push_id_value(reel_ui *ui, reel_ui_id id)
{
    if (ui->n_ids < UI_MAX_IDS)
        ui->id_stack[ui->n_ids] = id;
    ui->n_ids++;
}

void reel_ui_push_id(reel_ui *ui, const char *label)
{
    push_id_value(ui, reel_ui_make_id(ui, label));
}

void reel_ui_push_id_ptr(reel_ui *ui, const void *ptr)
{
    push_id_value(ui, reel_ui_make_id_ptr(ui, ptr));
}

void reel_ui_push_id_int(reel_ui *ui, int64_t value)
{
    push_id_value(ui, reel_ui_make_id_int(ui, value));
}

void reel_ui_pop_id(reel_ui *ui)
{
    if (ui->n_ids > 0)
        ui->n_ids--;
}

/* ------------------------------------------------------------ context */

reel_ui *reel_ui_create(const reel_ui_desc *desc)
{
    reel_ui *ui = reel_alloc_zeroed(NULL, sizeof *ui);
    if (!ui)
        return NULL;
    if (desc)
        ui->desc = *desc;
    if (ui->desc.tooltip_delay_secs <= 0)
        ui->desc.tooltip_delay_secs = REEL_THEME_TOOLTIP_DELAY_SECS;
    if (ui->desc.double_click_secs <= 0)
        ui->desc.double_click_secs = REEL_THEME_DOUBLE_CLICK_SECS;
    ui->fonts = reel__fonts_create();
    if (!ui->fonts) {
        reel_free(NULL, ui, sizeof *ui);
        return NULL;
    }
    for (int i = 0; i < UI_LAYERS; i++) {
        reel_draw_list_init(&ui->layers[i]);
        reel_draw_list_init(&ui->layer_backgrounds[i]);
    }
    reel_draw_list_init(&ui->output);
    ui->scale = 1.0f;
    return ui;
}

void reel_ui_destroy(reel_ui *ui)
{
    if (!ui)
        return;
    for (int i = 0; i < UI_LAYERS; i++) {
        reel_draw_list_free(&ui->layers[i]);
        reel_draw_list_free(&ui->layer_backgrounds[i]);
    }
    reel_draw_list_free(&ui->output);
    reel__fonts_destroy(ui->fonts);
    reel_free(NULL, ui->states, (size_t)ui->state_capacity * sizeof *ui->states);
    reel_free(NULL, ui->clipboard, ui->clipboard_size);
    reel_free(NULL, ui, sizeof *ui);
}

const reel_input *reel_ui_input(const reel_ui *ui)
{
    return &ui->input;
}

float reel_ui_scale(const reel_ui *ui)
{
    return ui->scale;
}

reel_draw_list *reel_ui_draw_list(reel_ui *ui)
{
    return &ui->layers[ui->layer];
}

const reel_draw_atlas *reel_ui_atlas(const reel_ui *ui)
{
    return reel__fonts_atlas(ui->fonts);
}

/* Which layer the pointer may interact with, and popups closed by a press outside them. */
static void route_pointer_to_layers(reel_ui *ui)
{
    const reel_input *in = &ui->input;
    bool any_press = in->button_pressed[0] || in->button_pressed[1] || in->button_pressed[2];
    ui->popup_closed_by_press = 0;
    int32_t owner = -1; /* popup index under the pointer, or a modal that blocks below */
    for (int32_t k = ui->n_popups - 1; k >= 0; k--) {
        if (in->has_pointer &&
            reel__ui_rect_contains(ui->popups[k].rect, ui->pointer_x, ui->pointer_y)) {
            owner = k;
            break;
        }
        if (ui->popups[k].modal) {
            owner = k;
            break;
        }
    }
    if (any_press && owner + 1 < ui->n_popups) {
        ui->popup_closed_by_press = ui->popups[owner + 1].id;
        ui->n_popups = owner + 1;
    }
    if (in->key_pressed[REEL_KEY_ESCAPE] && ui->n_popups > 0) {
        ui->n_popups--;
        if (owner >= ui->n_popups)
            owner = ui->n_popups - 1;
    }
    ui->hover_layer = owner + 1;
    if (owner >= 0)
        ui->pointer_on_surface = true;
}

void reel_ui_begin(reel_ui *ui, const reel_input *input)
{
    ui->input = *input;
    ui->frame++;
    ui->in_frame = true;
    float scale = input->pixels_per_point > 0 ? input->pixels_per_point : 1.0f;
    reel__fonts_set_scale(ui->fonts, scale);
    ui->scale = scale;
    const reel_draw_atlas *atlas = reel__fonts_atlas(ui->fonts);
    for (int i = 0; i < UI_LAYERS; i++) {
        reel_draw_list_reset(&ui->layers[i], (float)input->width, (float)input->height,
                             atlas->white_u, atlas->white_v);
        reel_draw_list_reset(&ui->layer_backgrounds[i], (float)input->width, (float)input->height,
                             atlas->white_u, atlas->white_v);
    }
    ui->layer = 0;
    ui->previous_pointer_x = ui->pointer_x;
    ui->previous_pointer_y = ui->pointer_y;
    ui->pointer_x = input->pointer_x;
    ui->pointer_y = input->pointer_y;
    if (ui->frame == 1) {
        ui->previous_pointer_x = ui->pointer_x;
        ui->previous_pointer_y = ui->pointer_y;
    }
    ui->pointer_on_surface = false;
    ui->wheel_used = false;
    ui->cursor = REEL_UI_CURSOR_ARROW;
    ui->repaint_after = -1;
    route_pointer_to_layers(ui);

    ui->hovered_previous = ui->hover_candidate;
    ui->hovered_previous_rect = ui->hover_candidate_rect;
    ui->hovered_previous_layer = ui->hover_candidate_layer;
    ui->hovered_previous_blocks =
        ui->hovered_previous != 0 && input->has_pointer &&
        ui->hovered_previous_layer == ui->hover_layer &&
        reel__ui_rect_contains(ui->hovered_previous_rect, ui->pointer_x, ui->pointer_y);
    ui->hover_candidate = 0;
    ui->hover_candidate_app = false;
    ui->active_seen = false;

    bool any_press =
        input->button_pressed[0] || input->button_pressed[1] || input->button_pressed[2];
    ui->press_outside_focus = any_press;
    ui->focus_wants_keys = false;
    ui->tab_direction = 0;
    if (input->key_pressed[REEL_KEY_TAB])
        ui->tab_direction = (input->modifiers & REEL_MOD_SHIFT) ? -1 : 1;
    ui->tab_first = ui->tab_last = ui->tab_previous = 0;
    ui->tab_before_focus = ui->tab_after_focus = 0;
    ui->tab_passed_focus = false;
    ui->focus_next_set = false;
    ui->tooltip_seen = false;
    for (int32_t k = 0; k < ui->n_popups; k++)
        ui->popups[k].seen = false;
    ui->popup_depth = 0;
    ui->table.active = false;
    ui->n_panels = 0;
    ui->n_scrolls = 0;

    ui->n_ids = 0;
    ui->n_layouts = 0;
    ui->remaining = (reel_ui_rect){0, 0, (float)input->width, (float)input->height};
    reel__ui_push_layout(ui, ui->remaining, false, false);
    float margin = reel__ui_pt(ui, REEL_THEME_PANEL_MARGIN);
    ui_layout *root = reel__ui_layout(ui);
    root->cursor_x += margin;
    root->cursor_y += margin;
    root->bounds.x0 += margin;
    root->bounds.x1 -= margin;
}

/* Appends `source` to `target`, its indices shifted past target's vertices. */
static void append_list(reel_draw_list *target, const reel_draw_list *source)
{
    for (uint32_t c = 0; c < source->n_cmds; c++) {
        const reel_draw_cmd *cmd = &source->cmds[c];
        if (target->clip_depth < 1)
            target->clip_depth = 1;
        memcpy(target->clip_stack[0], cmd->clip, sizeof cmd->clip);
        if (cmd->scene >= 0) {
            reel_draw_scene_here(target, cmd->scene);
            continue;
        }
        if (cmd->index_count == 0)
            continue;
        uint32_t *indices, base;
        /* Vertices are copied per command: a command's indices may reach any vertex. */
        uint32_t low = UINT32_MAX, high = 0;
        for (uint32_t i = 0; i < cmd->index_count; i++) {
            uint32_t index = source->indices[cmd->first_index + i];
            low = index < low ? index : low;
            high = index > high ? index : high;
        }
        reel_draw_vertex *v = reel_draw_reserve(target, cmd->texture, high - low + 1,
                                                cmd->index_count, &indices, &base);
        if (!v)
            return;
        memcpy(v, source->vertices + low, (size_t)(high - low + 1) * sizeof *v);
        for (uint32_t i = 0; i < cmd->index_count; i++)
            indices[i] = source->indices[cmd->first_index + i] - low + base;
    }
}

reel_ui_output reel_ui_end(reel_ui *ui)
{
    reel_ui_output out = {0};
    if (!ui->in_frame)
        return out;
    ui->in_frame = false;
    /* Popups not drawn this frame are closed (with those opened above them). */
    for (int32_t k = 0; k < ui->n_popups; k++) {
        if (!ui->popups[k].seen) {
            ui->n_popups = k;
            break;
        }
    }
    /* A widget that vanished, or missed its release, lets go. */
    if (ui->active && (!ui->active_seen || !ui->input.button_down[ui->active_button]))
        ui->active = 0;
    if (ui->press_outside_focus) /* a click anywhere but a focusable widget drops focus */
        ui->focus = 0;
    if (ui->tab_direction > 0) /* past the last: wrap to the first */
        ui->focus = ui->tab_after_focus ? ui->tab_after_focus : ui->tab_first;
    else if (ui->tab_direction < 0)
        ui->focus = ui->tab_before_focus ? ui->tab_before_focus : ui->tab_last;
    if (ui->tab_direction != 0)
        ui->focus_visible = true;
    if (ui->focus_next_set)
        ui->focus = ui->focus_next;
    if (!ui->tooltip_seen)
        ui->tooltip_id = 0;

    const reel_draw_atlas *atlas = reel__fonts_atlas(ui->fonts);
    bool floating = false; /* anything above the base layer this frame? */
    for (int i = 1; i < UI_LAYERS; i++)
        floating = floating || ui->layers[i].n_cmds > 0 || ui->layer_backgrounds[i].n_cmds > 0;
    reel_draw_list *joined = &ui->layers[0];
    if (floating || ui->layer_backgrounds[0].n_cmds > 0) {
        /* Join the layers in order, each popup's background before its content. */
        joined = &ui->output;
        reel_draw_list_reset(joined, (float)ui->input.width, (float)ui->input.height,
                             atlas->white_u, atlas->white_v);
        for (int i = 0; i < UI_LAYERS; i++) {
            append_list(joined, &ui->layer_backgrounds[i]);
            append_list(joined, &ui->layers[i]);
            if (ui->layers[i].failed || ui->layer_backgrounds[i].failed)
                joined->failed = true;
        }
    }
    joined->clip_depth = 1;
    joined->clip_stack[0][0] = 0;
    joined->clip_stack[0][1] = 0;
    joined->clip_stack[0][2] = (float)ui->input.width;
    joined->clip_stack[0][3] = (float)ui->input.height;

    out.list = joined;
    out.atlas = atlas;
    out.wants_pointer = ui->pointer_on_surface ||
                        (ui->hover_candidate != 0 && !ui->hover_candidate_app) ||
                        (ui->active != 0 && !ui->active_app);
    out.wants_keyboard = ui->focus != 0 && ui->focus_wants_keys;
    out.cursor = ui->cursor;
    out.repaint_after_secs = ui->repaint_after;
    return out;
}

/* ------------------------------------------------------------ layout */

ui_layout *reel__ui_layout(reel_ui *ui)
{
    if (ui->n_layouts <= 0 || ui->n_layouts > UI_MAX_LAYOUTS) {
        /* Nested too deep (a caller bug): widgets get a scratch layout, nothing breaks. */
        ui_layout *scratch = &ui->overflow_layout;
        memset(scratch, 0, sizeof *scratch);
        scratch->bounds = (reel_ui_rect){0, 0, (float)ui->input.width, (float)ui->input.height};
        scratch->layer = ui->layer;
        return scratch;
    }
    return &ui->layouts[ui->n_layouts - 1];
}

void reel__ui_push_layout(reel_ui *ui, reel_ui_rect bounds, bool horizontal, bool clip)
{
    if (ui->n_layouts < UI_MAX_LAYOUTS) {
        ui_layout *l = &ui->layouts[ui->n_layouts];
        memset(l, 0, sizeof *l);
        l->bounds = bounds;
        l->cursor_x = bounds.x0;
        l->cursor_y = bounds.y0;
        l->content_x1 = bounds.x0;
        l->content_y1 = bounds.y0;
        l->horizontal = horizontal;
        l->clips = clip;
        l->layer = ui->layer;
        if (clip)
            reel_draw_push_clip(&ui->layers[ui->layer], bounds.x0, bounds.y0, bounds.x1, bounds.y1);
    }
    ui->n_layouts++;
}

void reel__ui_pop_layout(reel_ui *ui)
{
    if (ui->n_layouts <= 1)
        return;
    if (ui->n_layouts <= UI_MAX_LAYOUTS) {
        ui_layout *l = &ui->layouts[ui->n_layouts - 1];
        if (l->clips)
            reel_draw_pop_clip(&ui->layers[l->layer]);
    }
    ui->n_layouts--;
}

reel_ui_rect reel_ui_available(const reel_ui *ui)
{
    const ui_layout *l = reel__ui_layout((reel_ui *)ui);
    return (reel_ui_rect){l->cursor_x, l->cursor_y, l->bounds.x1, l->bounds.y1};
}

/* Allocation in pixels (widgets measure text in pixels); `spaced`: item spacing after it. */
static reel_ui_rect allocate_with(reel_ui *ui, float width, float height, bool spaced)
{
    ui_layout *l = reel__ui_layout(ui);
    float spacing_x = spaced ? reel__ui_pt(ui, REEL_THEME_ITEM_SPACING_X) : 0;
    float spacing_y = spaced ? reel__ui_pt(ui, REEL_THEME_ITEM_SPACING_Y) * 0.5f : 0;
    if (width <= 0)
        width = fmaxf(l->bounds.x1 - l->cursor_x, 0.0f);
    if (height <= 0)
        height = reel__ui_pt(ui, REEL_THEME_WIDGET_HEIGHT);
    reel_ui_rect rect = {l->cursor_x, l->cursor_y, l->cursor_x + width, l->cursor_y + height};
    if (l->horizontal) {
        l->cursor_x = rect.x1 + spacing_x;
        l->line_height = fmaxf(l->line_height, height);
    } else {
        l->cursor_y = rect.y1 + spacing_y;
    }
    l->content_x1 = fmaxf(l->content_x1, rect.x1);
    l->content_y1 = fmaxf(l->content_y1, rect.y1);
    return rect;
}

static reel_ui_rect allocate_px(reel_ui *ui, float width, float height)
{
    return allocate_with(ui, width, height, true);
}

reel_ui_rect reel__ui_allocate_px(reel_ui *ui, float width, float height)
{
    return allocate_with(ui, width, height, true);
}

reel_ui_rect reel__ui_allocate_flush(reel_ui *ui, float width, float height)
{
    return allocate_with(ui, width, height, false);
}

reel_ui_rect reel_ui_allocate(reel_ui *ui, float width_pt, float height_pt)
{
    return allocate_px(ui, width_pt > 0 ? reel__ui_pt(ui, width_pt) : 0,
                       height_pt > 0 ? reel__ui_pt(ui, height_pt) : 0);
}

void reel_ui_horizontal_begin(reel_ui *ui)
{
    ui_layout *parent = reel__ui_layout(ui);
    reel_ui_rect bounds = {parent->cursor_x, parent->cursor_y, parent->bounds.x1,
                           parent->bounds.y1};
    reel__ui_push_layout(ui, bounds, true, false);
}

void reel_ui_horizontal_end(reel_ui *ui)
{
    ui_layout *row = reel__ui_layout(ui);
    float width = row->content_x1 - row->bounds.x0;
    float height = row->line_height > 0 ? row->line_height : 0;
    reel__ui_pop_layout(ui);
    if (height > 0)
        allocate_px(ui, width > 0 ? width : 1, height);
}

void reel_ui_indent(reel_ui *ui)
{
    ui_layout *l = reel__ui_layout(ui);
    float step = reel__ui_pt(ui, REEL_THEME_INDENT);
    l->indent += step;
    l->bounds.x0 += step;
    l->cursor_x += step;
}

void reel_ui_unindent(reel_ui *ui)
{
    ui_layout *l = reel__ui_layout(ui);
    float step = reel__ui_pt(ui, REEL_THEME_INDENT);
    if (l->indent < step - 0.01f)
        return;
    l->indent -= step;
    l->bounds.x0 -= step;
    l->cursor_x -= step;
}

void reel_ui_space(reel_ui *ui, float points)
{
    ui_layout *l = reel__ui_layout(ui);
    if (l->horizontal)
        l->cursor_x += reel__ui_pt(ui, points);
    else
        l->cursor_y += reel__ui_pt(ui, points);
}

void reel_ui_layout_begin(reel_ui *ui, reel_ui_rect rect, float padding_pt)
{
    float padding = reel__ui_pt(ui, padding_pt);
    reel_draw_push_clip(&ui->layers[ui->layer], rect.x0, rect.y0, rect.x1, rect.y1);
    reel__ui_push_layout(
        ui,
        (reel_ui_rect){rect.x0 + padding, rect.y0 + padding, rect.x1 - padding, rect.y1 - padding},
        false, false);
    reel__ui_layout(ui)->clips = true; /* pop the clip pushed above */
}

void reel_ui_layout_end(reel_ui *ui)
{
    reel__ui_pop_layout(ui);
}

/* ------------------------------------------------------------ interaction */

void reel__ui_arrow_navigation(reel_ui *ui, const reel_ui_response *response)
{
    if (!response->focused || ui->tab_direction != 0)
        return;
    if (ui->input.key_pressed[REEL_KEY_DOWN])
        ui->tab_direction = 1;
    else if (ui->input.key_pressed[REEL_KEY_UP])
        ui->tab_direction = -1;
}

bool reel__ui_activated_by_key(const reel_ui *ui, const reel_ui_response *response)
{
    return response->focused &&
           (ui->input.key_pressed[REEL_KEY_ENTER] || ui->input.key_pressed[REEL_KEY_SPACE]);
}

void reel__ui_draw_focus(reel_ui *ui, reel_ui_rect rect)
{
    if (!ui->focus_visible)
        return;
    float grow = reel__ui_pt(ui, 1.0f);
    reel_draw_rect_outline(&ui->layers[ui->layer], rect.x0 - grow, rect.y0 - grow, rect.x1 + grow,
                           rect.y1 + grow, reel__ui_pt(ui, REEL_THEME_WIDGET_RADIUS),
                           reel__ui_pt(ui, REEL_THEME_FOCUS_STROKE), REEL_THEME_FOCUS_OUTLINE);
}

static void register_for_tab(reel_ui *ui, reel_ui_id id)
{
    if (ui->tab_first == 0)
        ui->tab_first = id;
    if (ui->tab_passed_focus && ui->tab_after_focus == 0)
        ui->tab_after_focus = id;
    if (id == ui->focus && !ui->tab_passed_focus) {
        ui->tab_passed_focus = true;
        ui->tab_before_focus = ui->tab_previous; /* 0 at the first: wraps to the last */
    }
    ui->tab_previous = id;
    ui->tab_last = id;
}

reel_ui_response reel_ui_interact(reel_ui *ui, reel_ui_rect rect, reel_ui_id id, unsigned sense)
{
    const reel_input *in = &ui->input;
    reel_ui_response r = {.rect = rect, .id = id};
    reel_ui_rect visible = reel__ui_rect_intersect(rect, reel__ui_clip(ui));
    bool inside = in->has_pointer && ui->layer == ui->hover_layer &&
                  reel__ui_rect_contains(visible, ui->pointer_x, ui->pointer_y);
    if (inside) {
        ui->hover_candidate = id;
        ui->hover_candidate_rect = visible;
        ui->hover_candidate_layer = ui->layer;
        ui->hover_candidate_app = (sense & REEL_UI_SENSE_APP) != 0;
    }
    r.hovered = inside && (ui->active == 0 || ui->active == id) &&
                (!ui->hovered_previous_blocks || ui->hovered_previous == id);
    if (sense & REEL_UI_SENSE_FOCUS)
        register_for_tab(ui, id);

    if (r.hovered && (sense & (REEL_UI_SENSE_CLICK | REEL_UI_SENSE_DRAG)) && ui->active == 0) {
        for (int b = 0; b < REEL_MOUSE_BUTTONS; b++) {
            if (!in->button_pressed[b])
                continue;
            ui->active = id;
            ui->active_button = b;
            ui->active_moved = false;
            ui->active_app = (sense & REEL_UI_SENSE_APP) != 0;
            ui->press_x = ui->pointer_x;
            ui->press_y = ui->pointer_y;
            r.pressed = true;
            r.button = b;
            break;
        }
    }
    if (r.pressed && (sense & REEL_UI_SENSE_FOCUS) && r.button == REEL_MOUSE_LEFT) {
        ui->focus = id;
        ui->focus_visible = false;
        ui->press_outside_focus = false;
    }
    if (ui->active == id) {
        ui->active_seen = true;
        r.held = true;
        r.button = ui->active_button;
        r.drag_dx = ui->pointer_x - ui->previous_pointer_x;
        r.drag_dy = ui->pointer_y - ui->previous_pointer_y;
        if (r.pressed)
            r.drag_dx = r.drag_dy = 0;
        if (fabsf(ui->pointer_x - ui->press_x) > DRAG_THRESHOLD_PX ||
            fabsf(ui->pointer_y - ui->press_y) > DRAG_THRESHOLD_PX)
            ui->active_moved = true;
        r.dragging = ui->active_moved && (sense & REEL_UI_SENSE_DRAG);
        if (in->button_released[ui->active_button] || !in->button_down[ui->active_button]) {
            bool over = reel__ui_rect_contains(visible, ui->pointer_x, ui->pointer_y);
            if (over && !(ui->active_moved && (sense & REEL_UI_SENSE_DRAG))) {
                if (ui->active_button == REEL_MOUSE_LEFT) {
                    r.clicked = true;
                    r.double_clicked =
                        ui->last_click_id == id &&
                        in->time_secs - ui->last_click_time <= ui->desc.double_click_secs;
                    ui->last_click_id = r.double_clicked ? 0 : id;
                    ui->last_click_time = in->time_secs;
                } else if (ui->active_button == REEL_MOUSE_RIGHT) {
                    r.right_clicked = true;
                } else {
                    r.middle_clicked = true;
                }
            }
            ui->active = 0;
        }
    }
    r.focused = ui->focus == id && id != 0;
    ui->last = r;
    return r;
}

reel_ui_response reel_ui_last_response(const reel_ui *ui)
{
    return ui->last;
}

void reel_ui_focus(reel_ui *ui, reel_ui_id id)
{
    ui->focus_next = id;
    ui->focus_next_set = true;
}

/* ------------------------------------------------------------ text */

float reel_ui_text_width(reel_ui *ui, reel_ui_font font, const char *text, size_t len)
{
    return reel__fonts_width(ui->fonts, font, text, len);
}

float reel_ui_line_height(reel_ui *ui, reel_ui_font font)
{
    return reel__fonts_line_height(ui->fonts, font);
}

float reel_ui_draw_text(reel_ui *ui, reel_ui_font font, float x, float y, const char *text,
                        size_t len, uint32_t rgba, float max_width)
{
    return reel__fonts_draw(ui->fonts, &ui->layers[ui->layer], font, x, y, text, len, rgba,
                            max_width);
}

size_t reel_ui_text_fit(reel_ui *ui, reel_ui_font font, const char *text, size_t len,
                        float max_width)
{
    return reel__fonts_fit(ui->fonts, font, text, len, max_width);
}

void reel__ui_set_clipboard(reel_ui *ui, const char *text, size_t len)
{
    if (ui->desc.set_clipboard) {
        ui->desc.set_clipboard(ui->desc.clipboard_user, text, len);
        return;
    }
    char *copy = reel_alloc(NULL, len + 1);
    if (!copy)
        return;
    memcpy(copy, text, len);
    copy[len] = 0;
    reel_free(NULL, ui->clipboard, ui->clipboard_size);
    ui->clipboard = copy;
    ui->clipboard_size = len + 1;
}

const char *reel__ui_get_clipboard(reel_ui *ui)
{
    if (ui->desc.get_clipboard)
        return ui->desc.get_clipboard(ui->desc.clipboard_user);
    return ui->clipboard;
}
