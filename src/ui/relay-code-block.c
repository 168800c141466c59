/* relay-code-block.c: a code block of a reply, as a card with a Copy button.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "relay-code-block"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>
#include <string.h>

#include "relay-code-block.h"

struct _RelayCodeBlock
{
  GtkWidget        parent_instance;

  char            *language;
  /* What the buffer holds, kept to compare new code with cheaply. */
  GString         *code;
  guint            copied_source;

  GtkSourceBuffer *buffer;

  GtkLabel        *language_label;
  GtkButton       *copy_button;
  GtkSourceView   *source_view;
};

enum {
  PROP_0,
  PROP_LANGUAGE,
  N_PROPS
};

enum {
  COPIED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RelayCodeBlock, relay_code_block, GTK_TYPE_WIDGET)

/* Fence names that are neither a GtkSourceView language id nor a file extension it knows. */
static const struct { const char *alias; const char *id; } language_aliases[] = {
  { "bash", "sh" }, { "shell", "sh" }, { "zsh", "sh" }, { "console", "sh" },
  { "shellscript", "sh" }, { "python", "python3" }, { "py3", "python3" },
  { "javascript", "js" }, { "node", "js" }, { "ts", "typescript" },
  { "tsx", "typescript-jsx" }, { "c++", "cpp" }, { "csharp", "c-sharp" },
  { "c#", "c-sharp" }, { "cs", "c-sharp" }, { "golang", "go" }, { "dockerfile", "docker" },
  { "make", "makefile" }, { "patch", "diff" }, { "jsonc", "json" }, { "json5", "json" },
  { "objective-c", "objc" }, { "postgres", "sql" }, { "postgresql", "sql" },
  { "mysql", "sql" }, { "sqlite", "sql" }, { "plaintext", "" }, { "text", "" },
  { "txt", "" }, { "vb", "vbnet" }, { "conf", "ini" },
};

static GtkSourceLanguage *
find_language (const char *name)
{
  GtkSourceLanguageManager *manager = gtk_source_language_manager_get_default ();
  g_autofree char *id = NULL;
  g_autofree char *file_name = NULL;
  GtkSourceLanguage *language;

  if (name == NULL || name[0] == '\0')
    return NULL;

  id = g_ascii_strdown (name, -1);
  for (guint i = 0; i < G_N_ELEMENTS (language_aliases); i++)
    if (strcmp (id, language_aliases[i].alias) == 0)
      {
        g_free (id);
        id = g_strdup (language_aliases[i].id);
        break;
      }
  if (id[0] == '\0')
    return NULL;

  if ((language = gtk_source_language_manager_get_language (manager, id)))
    return language;

  /* "rs", "py", "yml", "rb"…: what the language's file name patterns say. */
  file_name = g_strconcat ("code.", id, NULL);
  return gtk_source_language_manager_guess_language (manager, file_name, NULL);
}

/* GtkSourceView compiles a language's definition for the first buffer using it and frees
 * it with the last one, some 10 ms for Python. Replies come and go, their languages
 * stay the same: keep one idle buffer per language so that the definition stays. */
static void
keep_language_loaded (GtkSourceLanguage *language)
{
  static GHashTable *buffers;
  const char *id = gtk_source_language_get_id (language);

  if (buffers == NULL)
    buffers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  if (!g_hash_table_contains (buffers, id))
    {
      g_debug ("Loading language %s", id);
      g_hash_table_insert (buffers, g_strdup (id), gtk_source_buffer_new_with_language (language));
    }
}

static void
update_style_scheme (RelayCodeBlock *self)
{
  GtkSourceStyleSchemeManager *manager = gtk_source_style_scheme_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  gtk_source_buffer_set_style_scheme (self->buffer,
                                      gtk_source_style_scheme_manager_get_scheme (
                                        manager, dark ? "Adwaita-dark" : "Adwaita"));
}

static void
style_manager_notify_dark_cb (RelayCodeBlock *self)
{
  update_style_scheme (self);
}

static gboolean
copied_timeout_cb (gpointer data)
{
  RelayCodeBlock *self = data;

  self->copied_source = 0;
  gtk_button_set_icon_name (self->copy_button, "edit-copy-symbolic");
  return G_SOURCE_REMOVE;
}

/**
 * relay_code_block_copy:
 * @self: a #RelayCodeBlock
 *
 * Puts the code on the clipboard, says so in the nearest toast overlay and on the
 * button, and emits #RelayCodeBlock::copied.
 */
void
relay_code_block_copy (RelayCodeBlock *self)
{
  GtkWidget *overlay;

  g_return_if_fail (RELAY_IS_CODE_BLOCK (self));

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->code->str);

  overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  if (overlay != NULL)
    {
      AdwToast *toast = adw_toast_new (_("Copied"));

      adw_toast_set_timeout (toast, 2);
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
    }

  gtk_button_set_icon_name (self->copy_button, "object-select-symbolic");
  g_clear_handle_id (&self->copied_source, g_source_remove);
  self->copied_source = g_timeout_add_seconds (2, copied_timeout_cb, self);

  g_signal_emit (self, signals[COPIED], 0, self->code->str);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  relay_code_block_copy (RELAY_CODE_BLOCK (widget));
}

static void
relay_code_block_dispose (GObject *object)
{
  RelayCodeBlock *self = RELAY_CODE_BLOCK (object);
  GtkWidget *child;

  g_clear_handle_id (&self->copied_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_CODE_BLOCK);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->buffer);

  G_OBJECT_CLASS (relay_code_block_parent_class)->dispose (object);
}

static void
relay_code_block_finalize (GObject *object)
{
  RelayCodeBlock *self = RELAY_CODE_BLOCK (object);

  g_free (self->language);
  g_string_free (self->code, TRUE);

  G_OBJECT_CLASS (relay_code_block_parent_class)->finalize (object);
}

static void
relay_code_block_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RelayCodeBlock *self = RELAY_CODE_BLOCK (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_code_block_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  RelayCodeBlock *self = RELAY_CODE_BLOCK (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      relay_code_block_set_language (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_code_block_class_init (RelayCodeBlockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_code_block_dispose;
  object_class->finalize = relay_code_block_finalize;
  object_class->get_property = relay_code_block_get_property;
  object_class->set_property = relay_code_block_set_property;

  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RelayCodeBlock::copied:
   * @self: the code block
   * @code: the text put on the clipboard
   */
  signals[COPIED] =
    g_signal_new ("copied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/relay_llm/Relay/relay-code-block.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayCodeBlock, language_label);
  gtk_widget_class_bind_template_child (widget_class, RelayCodeBlock, copy_button);
  gtk_widget_class_bind_template_child (widget_class, RelayCodeBlock, source_view);

  gtk_widget_class_install_action (widget_class, "code-block.copy", NULL, copy_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
relay_code_block_init (RelayCodeBlock *self)
{
  GtkLayoutManager *layout;

  self->code = g_string_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);

  self->buffer = gtk_source_buffer_new (NULL);
  /* Read-only: undo history would only hold every streamed piece twice. */
  gtk_text_buffer_set_enable_undo (GTK_TEXT_BUFFER (self->buffer), FALSE);
  gtk_source_buffer_set_highlight_matching_brackets (self->buffer, FALSE);
  gtk_text_view_set_buffer (GTK_TEXT_VIEW (self->source_view), GTK_TEXT_BUFFER (self->buffer));

  update_style_scheme (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (style_manager_notify_dark_cb), self,
                           G_CONNECT_SWAPPED);

  gtk_label_set_label (self->language_label, _("Text"));
}

GtkWidget *
relay_code_block_new (const char *language)
{
  return g_object_new (RELAY_TYPE_CODE_BLOCK,
                       "language", language,
                       NULL);
}

const char *
relay_code_block_get_language (RelayCodeBlock *self)
{
  g_return_val_if_fail (RELAY_IS_CODE_BLOCK (self), NULL);

  return self->language;
}

/**
 * relay_code_block_set_language:
 * @self: a #RelayCodeBlock
 * @language: (nullable): the fence's language name ("python", "rs", "bash"…)
 *
 * Shows @language in the header ("Text" when %NULL) and highlights the code as that
 * language when GtkSourceView knows it by id, alias or file extension.
 */
void
relay_code_block_set_language (RelayCodeBlock *self,
                               const char     *language)
{
  GtkSourceLanguage *source_language;

  g_return_if_fail (RELAY_IS_CODE_BLOCK (self));

  if (language != NULL && language[0] == '\0')
    language = NULL;
  if (!g_set_str (&self->language, language))
    return;

  gtk_label_set_label (self->language_label, language ? language : _("Text"));
  source_language = find_language (language);
  if (source_language != NULL)
    keep_language_loaded (source_language);
  gtk_source_buffer_set_language (self->buffer, source_language);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

const char *
relay_code_block_get_code (RelayCodeBlock *self)
{
  g_return_val_if_fail (RELAY_IS_CODE_BLOCK (self), NULL);

  return self->code->str;
}

/**
 * relay_code_block_set_code:
 * @self: a #RelayCodeBlock
 * @code: valid UTF-8
 * @length: the length of @code in bytes, or -1 when it is nul-terminated
 *
 * Replaces the code shown. Only what differs from the code already shown is deleted and
 * inserted, so a block that grows while a reply streams costs in proportion to what was
 * added, and highlighting and scrolling are kept.
 */
void
relay_code_block_set_code (RelayCodeBlock *self,
                           const char     *code,
                           gssize          length)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  gsize len, common = 0, shortest;
  glong removed_chars;

  g_return_if_fail (RELAY_IS_CODE_BLOCK (self));
  g_return_if_fail (code != NULL);

  len = length < 0 ? strlen (code) : (gsize) length;
  shortest = MIN (len, self->code->len);
  while (common < shortest && code[common] == self->code->str[common])
    common++;
  if (common == len && common == self->code->len)
    return;
  /* Both texts are valid UTF-8 and equal up to here: step back to a character start. */
  while (common > 0 &&
         ((common < len && ((guchar) code[common] & 0xC0) == 0x80) ||
          (common < self->code->len && ((guchar) self->code->str[common] & 0xC0) == 0x80)))
    common--;

  buffer = GTK_TEXT_BUFFER (self->buffer);
  gtk_text_buffer_get_end_iter (buffer, &end);
  start = end;
  removed_chars = g_utf8_strlen (self->code->str + common, self->code->len - common);
  if (removed_chars > 0)
    {
      gtk_text_iter_backward_chars (&start, removed_chars);
      gtk_text_buffer_delete (buffer, &start, &end);
    }
  if (len > common)
    gtk_text_buffer_insert (buffer, &start, code + common, len - common);

  g_string_truncate (self->code, common);
  g_string_append_len (self->code, code + common, len - common);
}
