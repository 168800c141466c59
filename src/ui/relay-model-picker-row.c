/* relay-model-picker-row.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-model-picker-row"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "relay-model-picker-row.h"

/**
 * RelayModelPickerRow:
 *
 * One model in the model picker's list: its name, its ID when the name differs, what it
 * costs per million tokens when the unit of the price is known, and small icons for what
 * it accepts and makes. A checkmark marks the model in use.
 *
 * Only capabilities the model is known to have get an icon: an unknown capability and a
 * known lack look the same here, since neither is something to choose the model for.
 */
struct _RelayModelPickerRow
{
  GtkWidget       parent_instance;

  RelayModelInfo *model;
  GSignalGroup   *model_signals;
  gboolean        selected;

  GtkWidget      *box;
  GtkLabel       *name_label;
  GtkLabel       *id_label;
  GtkLabel       *price_label;
  GtkWidget      *recommended_badge;
  GtkWidget      *capabilities_box;
  GtkWidget      *image_input_badge;
  GtkWidget      *pdf_input_badge;
  GtkWidget      *tools_badge;
  GtkWidget      *json_mode_badge;
  GtkWidget      *image_generation_badge;
  GtkWidget      *check_image;
};

enum {
  PROP_0,
  PROP_MODEL,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (RelayModelPickerRow, relay_model_picker_row, GTK_TYPE_WIDGET)

GtkWidget *
relay_model_picker_row_new (void)
{
  return g_object_new (RELAY_TYPE_MODEL_PICKER_ROW, NULL);
}

/* Enough decimals to show a small price without rounding it to zero ($0.075, not $0.08),
 * and never fewer than two, as money is written. */
static char *
format_dollars (double value)
{
  g_autofree char *number = NULL;
  int decimals = 2;
  char *end;

  if (value > 0 && value < 0.1)
    decimals = CLAMP ((int) ceil (-log10 (value)) + 1, 2, 6);
  number = g_strdup_printf ("%.*f", decimals, value);

  /* Drop zeros past the second decimal: 0.050 reads better as 0.05. */
  end = number + strlen (number) - 1;
  while (decimals-- > 2 && *end == '0')
    *end-- = '\0';

  /* TRANSLATORS: a price in US dollars; %s is the amount */
  return g_strdup_printf (_("$%s"), number);
}

/**
 * relay_model_picker_row_format_price:
 * @model: a model
 *
 * Returns: (transfer full) (nullable): what @model costs per million tokens, or %NULL when
 *   its prices are unknown or in an unknown unit (never shown as dollars then)
 */
char *
relay_model_picker_row_format_price (RelayModelInfo *model)
{
  g_autofree char *input_text = NULL;
  g_autofree char *output_text = NULL;
  double input;
  double output;

  g_return_val_if_fail (RELAY_IS_MODEL_INFO (model), NULL);

  if (!relay_model_info_get_prices_per_million (model, &input, &output))
    return NULL;

  if (!isfinite (input) || input < 0)
    input = NAN;
  if (!isfinite (output) || output < 0)
    output = NAN;

  if (!isnan (input))
    input_text = format_dollars (input);
  if (!isnan (output))
    output_text = format_dollars (output);

  if (input_text != NULL && output_text != NULL)
    /* TRANSLATORS: prices of input and output tokens, e.g. "$3.00 / $15.00 per 1M tokens" */
    return g_strdup_printf (_("%s / %s per 1M tokens"), input_text, output_text);
  if (input_text != NULL)
    /* TRANSLATORS: e.g. "$3.00 per 1M input tokens" */
    return g_strdup_printf (_("%s per 1M input tokens"), input_text);
  if (output_text != NULL)
    /* TRANSLATORS: e.g. "$15.00 per 1M output tokens" */
    return g_strdup_printf (_("%s per 1M output tokens"), output_text);
  return NULL;
}

static void
relay_model_picker_row_update_badges (RelayModelPickerRow *self)
{
#define BADGE(capability, field) \
  { RELAY_MODEL_CAPABILITY_##capability, G_STRUCT_OFFSET (RelayModelPickerRow, field) }
  static const struct {
    RelayModelCapabilities capability;
    gsize                  offset;
  } badges[] = {
    BADGE (IMAGE_INPUT, image_input_badge),
    BADGE (PDF_INPUT, pdf_input_badge),
    BADGE (TOOLS, tools_badge),
    BADGE (JSON_MODE, json_mode_badge),
    BADGE (IMAGE_GENERATION, image_generation_badge),
  };
#undef BADGE
  gboolean any = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (badges); i++)
    {
      GtkWidget *badge = G_STRUCT_MEMBER (GtkWidget *, self, badges[i].offset);
      gboolean has = self->model != NULL &&
                     relay_model_info_has_capability (self->model, badges[i].capability);

      gtk_widget_set_visible (badge, has);
      any |= has;
    }
  gtk_widget_set_visible (self->capabilities_box, any);
}

/**
 * relay_model_picker_row_dup_summary:
 *
 * What the row shows besides the name, in words, for screen readers: the row's
 * accessible description.
 *
 * Returns: (transfer full): the summary, empty without a model
 */
char *
relay_model_picker_row_dup_summary (RelayModelPickerRow *self)
{
  GString *summary;

  g_return_val_if_fail (RELAY_IS_MODEL_PICKER_ROW (self), NULL);

  summary = g_string_new (NULL);
  if (self->model == NULL)
    return g_string_free (summary, FALSE);

  if (gtk_widget_get_visible (self->recommended_badge))
    g_string_append (summary, gtk_label_get_label (GTK_LABEL (self->recommended_badge)));

  for (GtkWidget *badge = gtk_widget_get_first_child (self->capabilities_box);
       badge != NULL;
       badge = gtk_widget_get_next_sibling (badge))
    {
      if (!gtk_widget_get_visible (badge))
        continue;
      if (summary->len > 0)
        g_string_append (summary, ", ");
      /* The tooltip carries the same translated words as the accessible label. */
      g_string_append (summary, gtk_widget_get_tooltip_text (badge));
    }

  if (gtk_widget_get_visible (GTK_WIDGET (self->price_label)))
    {
      if (summary->len > 0)
        g_string_append (summary, ", ");
      g_string_append (summary, gtk_label_get_label (self->price_label));
    }

  return g_string_free (summary, FALSE);
}

static void
relay_model_picker_row_update (RelayModelPickerRow *self)
{
  const char *id = NULL;
  const char *name = NULL;
  g_autofree char *price = NULL;

  if (self->model != NULL)
    {
      id = relay_model_info_get_id (self->model);
      name = relay_model_info_get_display_name (self->model);
      price = relay_model_picker_row_format_price (self->model);
    }

  gtk_label_set_label (self->name_label, name);
  gtk_label_set_label (self->id_label, id);
  gtk_widget_set_visible (GTK_WIDGET (self->id_label), g_strcmp0 (id, name) != 0);
  gtk_label_set_label (self->price_label, price);
  gtk_widget_set_visible (GTK_WIDGET (self->price_label), price != NULL);
  gtk_widget_set_visible (self->recommended_badge,
                          self->model != NULL && relay_model_info_get_recommended (self->model));
  relay_model_picker_row_update_badges (self);
}

static void
relay_model_picker_row_model_notify_cb (RelayModelPickerRow *self)
{
  relay_model_picker_row_update (self);
}

RelayModelInfo *
relay_model_picker_row_get_model (RelayModelPickerRow *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_PICKER_ROW (self), NULL);
  return self->model;
}

void
relay_model_picker_row_set_model (RelayModelPickerRow *self,
                                  RelayModelInfo      *model)
{
  g_return_if_fail (RELAY_IS_MODEL_PICKER_ROW (self));
  g_return_if_fail (model == NULL || RELAY_IS_MODEL_INFO (model));

  if (!g_set_object (&self->model, model))
    return;

  g_signal_group_set_target (self->model_signals, model);
  relay_model_picker_row_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

gboolean
relay_model_picker_row_get_selected (RelayModelPickerRow *self)
{
  g_return_val_if_fail (RELAY_IS_MODEL_PICKER_ROW (self), FALSE);
  return self->selected;
}

void
relay_model_picker_row_set_selected (RelayModelPickerRow *self,
                                     gboolean             selected)
{
  g_return_if_fail (RELAY_IS_MODEL_PICKER_ROW (self));

  selected = !!selected;
  if (self->selected == selected)
    return;

  self->selected = selected;
  /* The checkmark keeps its room when hidden, so the badges of every row line up. */
  gtk_widget_set_opacity (self->check_image, selected ? 1.0 : 0.0);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->check_image),
                               GTK_ACCESSIBLE_STATE_HIDDEN, !selected,
                               -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

static void
relay_model_picker_row_dispose (GObject *object)
{
  RelayModelPickerRow *self = RELAY_MODEL_PICKER_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_MODEL_PICKER_ROW);
  g_clear_object (&self->model_signals);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (relay_model_picker_row_parent_class)->dispose (object);
}

static void
relay_model_picker_row_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  RelayModelPickerRow *self = RELAY_MODEL_PICKER_ROW (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    case PROP_SELECTED:
      g_value_set_boolean (value, self->selected);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_model_picker_row_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  RelayModelPickerRow *self = RELAY_MODEL_PICKER_ROW (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      relay_model_picker_row_set_model (self, g_value_get_object (value));
      break;

    case PROP_SELECTED:
      relay_model_picker_row_set_selected (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_model_picker_row_class_init (RelayModelPickerRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_model_picker_row_dispose;
  object_class->get_property = relay_model_picker_row_get_property;
  object_class->set_property = relay_model_picker_row_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         RELAY_TYPE_MODEL_INFO,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SELECTED] =
    g_param_spec_boolean ("selected", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/relay-model-picker-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayModelPickerRow, box);
  gtk_widget_class_bind_template_child (widget_class, RelayModelPickerRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, RelayModelPickerRow, id_label);
  gtk_widget_class_bind_template_child (widget_class, RelayModelPickerRow, price_label);
  gtk_widget_class_bind_template_child (widget_class, RelayModelPickerRow, recommended_badge);
  gtk_widget_class_bind_template_child (widget_class, RelayModelPickerRow, capabilities_box);
  gtk_widget_class_bind_template_child (widget_class, RelayModelPickerRow, image_input_badge);
  gtk_widget_class_bind_template_child (widget_class, RelayModelPickerRow, pdf_input_badge);
  gtk_widget_class_bind_template_child (widget_class, RelayModelPickerRow, tools_badge);
  gtk_widget_class_bind_template_child (widget_class, RelayModelPickerRow, json_mode_badge);
  gtk_widget_class_bind_template_child (widget_class, RelayModelPickerRow, image_generation_badge);
  gtk_widget_class_bind_template_child (widget_class, RelayModelPickerRow, check_image);
}

static void
relay_model_picker_row_init (RelayModelPickerRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->model_signals = g_signal_group_new (RELAY_TYPE_MODEL_INFO);
  g_signal_group_connect_swapped (self->model_signals, "notify",
                                  G_CALLBACK (relay_model_picker_row_model_notify_cb), self);

  gtk_accessible_update_state (GTK_ACCESSIBLE (self->check_image),
                               GTK_ACCESSIBLE_STATE_HIDDEN, TRUE,
                               -1);
  relay_model_picker_row_update (self);
}
