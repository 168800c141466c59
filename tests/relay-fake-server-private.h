/* relay-fake-server-private.h: what the files of the fake server share.
 *
 * relay-fake-server.c holds the server, its thread and the raw writing of replies;
 * relay-fake-reply.c the scripted replies and the JSON they carry; relay-fake-builtin.c
 * what the server answers when no reply is scripted.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-fake-server.h"

G_BEGIN_DECLS

#define REPLY_PATH_CHAT "/v1/chat/completions"
#define ROUTED_MODEL    "claude-4-5-sonnet"
#define MAX_IMAGES      4

typedef struct
{
  guint   delay_ms;
  GBytes *data;
} Step;

struct _RelayFakeReply
{
  guint                status;   /* 0: drop the connection before sending anything */
  guint                delay_ms; /* before the status line */
  SoupMessageHeaders  *headers;
  GArray              *steps;
  char                *line_end;
  RelayFakeEnding      ending;
  gboolean             chunked;
};

typedef struct
{
  char   *content_type;
  GBytes *bytes;
} FakeFile;

struct _RelayFakeServer
{
  GObject       parent_instance;

  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  guint         port;
  char         *origin;
  char         *base_url;

  /* Shared with the server thread; guarded by mutex. */
  GMutex        mutex;
  GCond         cond;
  gboolean      started;
  GError       *start_error;
  char         *key;
  guint         stream_delay_ms;
  gboolean      data_images;
  GHashTable   *queues;   /* path → GQueue of RelayFakeReply */
  GHashTable   *files;    /* path → FakeFile */
  GPtrArray    *requests; /* RelayFakeRequest */
  guint         next_image;
  GHashTable   *failed_once; /* prompts already answered with a "!once" error */

  /* Only touched in the server thread. */
  SoupServer   *soup;
  GPtrArray    *writers;
};

/* relay-fake-reply.c: pieces of the OpenAI JSON shapes */
void            _relay_fake_begin_chunk       (JsonBuilder        *builder,
                                               const char         *model);
void            _relay_fake_begin_choice      (JsonBuilder        *builder);
char           *_relay_fake_end_chunk         (JsonBuilder        *builder,
                                               const char         *finish_reason);
void            _relay_fake_add_usage         (JsonBuilder        *builder,
                                               gint64              prompt_tokens,
                                               gint64              completion_tokens);
void            _relay_fake_begin_completion  (JsonBuilder        *builder,
                                               const char         *model);
void            _relay_fake_end_completion    (JsonBuilder        *builder,
                                               const char         *finish_reason);
void            _relay_fake_add_image_parts   (JsonBuilder        *builder,
                                               const char * const *urls);

/* relay-fake-builtin.c */
RelayFakeReply *_relay_fake_builtin_reply     (RelayFakeServer    *self,
                                               RelayFakeRequest   *request);

G_END_DECLS
