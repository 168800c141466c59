/* store-crash-helper.c: streams a reply into a conversation until it is killed.
 *
 * test-store-crash runs this, reads on stdout how much text it has streamed, kills it
 * with SIGKILL mid-reply and checks what the database kept.
 *
 *   store-crash-helper DB-PATH
 *
 * Prints "committed" once the user's message is saved, then after each delta the
 * length in bytes of the reply so far. The reply is "w00000 w00001 w00002 …".
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include "relay-conversation.h"

#define QUESTION "Tell me a very long story about a lighthouse keeper.\nTake your time."

typedef struct
{
  RelayConversation *conversation;
  RelayMessage      *reply;
  guint              n_deltas;
} Helper;

static gboolean
delta_cb (gpointer data)
{
  Helper *helper = data;
  char word[16];

  g_snprintf (word, sizeof word, "w%05u ", helper->n_deltas++);
  relay_message_append_content (helper->reply, word, -1);
  printf ("%" G_GSIZE_FORMAT "\n", relay_message_get_content_length (helper->reply));
  fflush (stdout);
  return G_SOURCE_CONTINUE;
}

static void
appended_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      data)
{
  Helper *helper = data;
  g_autoptr(GError) error = NULL;

  if (!relay_conversation_append_finish (helper->conversation, result, &error))
    g_error ("Could not save the question: %s", error->message);
  printf ("committed\n");
  fflush (stdout);

  /* As the client would: the request goes out now, and the answer streams in. */
  helper->reply = relay_conversation_begin_reply (helper->conversation, "route-llm");
  relay_message_set_routed_model (helper->reply, "gpt-4o-mini");
  g_timeout_add (20, delta_cb, helper);
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      data)
{
  Helper *helper = data;
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(RelayMessage) question = NULL;
  g_autoptr(GError) error = NULL;

  if (!(store = relay_store_open_finish (result, &error)))
    g_error ("Could not open the store: %s", error->message);
  helper->conversation = relay_conversation_new (store);
  question = relay_message_new (RELAY_ROLE_USER, QUESTION);
  relay_conversation_append_async (helper->conversation, question, NULL, appended_cb, helper);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Helper helper = { 0 };

  if (argc != 2)
    {
      g_printerr ("Usage: %s DB-PATH\n", argv[0]);
      return 2;
    }
  relay_store_open_async (argv[1], NULL, opened_cb, &helper);
  g_main_loop_run (loop);   /* until killed */
  return 1;
}
