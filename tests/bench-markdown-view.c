/* bench-markdown-view.c: what streaming a reply costs the main thread, beside one render.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <sys/resource.h>
#include <string.h>
#include <time.h>

#include "markdown-generator.h"
#include "relay-markdown-view.h"

#define VIEW_WIDTH 736

static double
thread_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
process_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static gboolean
widget_is_mapped (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!gtk_widget_get_mapped (widget) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  return gtk_widget_get_mapped (widget);
}

static void
drain_main_loop (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

typedef struct
{
  GtkWidget         *window;
  GtkScrolledWindow *scroller;
  RelayMarkdownView *view;
} Harness;

static void
harness_init (Harness *harness)
{
  GtkWidget *clamp = adw_clamp_new ();

  harness->window = gtk_window_new ();
  harness->scroller = GTK_SCROLLED_WINDOW (gtk_scrolled_window_new ());
  harness->view = RELAY_MARKDOWN_VIEW (relay_markdown_view_new ());
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 760);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (harness->view));
  gtk_scrolled_window_set_child (harness->scroller, clamp);
  gtk_scrolled_window_set_policy (harness->scroller, GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_window_set_child (GTK_WINDOW (harness->window), GTK_WIDGET (harness->scroller));
  gtk_window_set_default_size (GTK_WINDOW (harness->window), 800, 600);
  gtk_window_present (GTK_WINDOW (harness->window));
  g_assert_true (widget_is_mapped (GTK_WIDGET (harness->view)));
  drain_main_loop ();
}

static void
harness_clear (Harness *harness)
{
  gtk_window_destroy (GTK_WINDOW (harness->window));
  drain_main_loop ();
}

/* What a frame does with the view: apply the text, measure, allocate and snapshot it
 * (the render nodes, not their pixels). */
static double phase_seconds[4];

static void
frame (RelayMarkdownView *view)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  int minimum, natural;
  double t0, t1, t2, t3;

  t0 = thread_seconds ();
  relay_markdown_view_flush (view);
  t1 = thread_seconds ();
  gtk_widget_measure (GTK_WIDGET (view), GTK_ORIENTATION_VERTICAL, VIEW_WIDTH,
                      &minimum, &natural, NULL, NULL);
  t2 = thread_seconds ();
  gtk_widget_size_allocate (GTK_WIDGET (view),
                            &(GtkAllocation) { 0, 0, VIEW_WIDTH, natural }, -1);
  t3 = thread_seconds ();
  paintable = gtk_widget_paintable_new (GTK_WIDGET (view));
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), VIEW_WIDTH, natural);
  node = gtk_snapshot_to_node (snapshot);
  phase_seconds[0] += t1 - t0;
  phase_seconds[1] += t2 - t1;
  phase_seconds[2] += t3 - t2;
  phase_seconds[3] += thread_seconds () - t3;
}

static void
print_phases (void)
{
  g_print ("  (apply text %.3f s, measure %.3f s, allocate %.3f s, "
           "snapshot of the visible part %.3f s)\n",
           phase_seconds[0], phase_seconds[1], phase_seconds[2], phase_seconds[3]);
  memset (phase_seconds, 0, sizeof phase_seconds);
}

static double
bench_one_render (const GString *doc)
{
  Harness harness;
  double start, seconds;

  harness_init (&harness);
  start = thread_seconds ();
  relay_markdown_view_set_text (harness.view, doc->str);
  phase_seconds[0] += thread_seconds () - start;
  frame (harness.view);
  seconds = thread_seconds () - start;
  harness_clear (&harness);
  return seconds;
}

static double
bench_stream (const GString *doc,
              gsize          delta_size,
              guint          deltas_per_frame,
              guint         *n_frames)
{
  Harness harness;
  double start, seconds;
  guint in_frame = 0;

  harness_init (&harness);
  *n_frames = 0;
  start = thread_seconds ();
  for (gsize pos = 0; pos < doc->len; pos += delta_size)
    {
      relay_markdown_view_append (harness.view, doc->str + pos, MIN (delta_size, doc->len - pos));
      if (++in_frame == deltas_per_frame || pos + delta_size >= doc->len)
        {
          frame (harness.view);
          in_frame = 0;
          (*n_frames)++;
        }
    }
  seconds = thread_seconds () - start;
  harness_clear (&harness);
  return seconds;
}

/* Real time: deltas from a 2 ms timeout, the window laid out and painted by GTK as it
 * goes; optionally scrolled to follow the end of the reply as a chat does. For scale,
 * the same run with the deltas dropped: what the harness itself costs. (A plain
 * GtkLabel given the whole text so far thirty times a second takes some 40 s.) */
typedef enum
{
  TARGET_VIEW,
  TARGET_VIEW_FOLLOWING,
  TARGET_NOTHING,
} Target;

typedef struct
{
  Harness   *harness;
  GPtrArray *deltas;
  guint      next;
  guint      per_tick;
  Target     target;
} Feeder;

static gboolean
feed_cb (gpointer data)
{
  Feeder *feeder = data;

  for (guint i = 0; i < feeder->per_tick && feeder->next < feeder->deltas->len; i++)
    {
      const char *delta = g_ptr_array_index (feeder->deltas, feeder->next++);

      if (feeder->target != TARGET_NOTHING)
        relay_markdown_view_append (feeder->harness->view, delta, -1);
    }
  if (feeder->target == TARGET_VIEW_FOLLOWING)
    {
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (feeder->harness->scroller);

      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                            gtk_adjustment_get_page_size (adjustment));
    }
  return feeder->next < feeder->deltas->len ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
bench_realtime (guint  per_second,
                Target target)
{
  static const char *names[] = {
    "the Markdown view", "the Markdown view, following the end",
    "nothing (the harness alone)",
  };
  g_autoptr(GString) doc = markdown_generator_document (per_second, 13000);
  g_autoptr(GPtrArray) deltas = markdown_generator_deltas (doc, per_second + 1, 8);
  Harness harness;
  Feeder feeder = { &harness, deltas, 0, MAX (1, per_second / 500), target };
  double cpu_start, cpu;
  gint64 wall_start, wall;

  harness_init (&harness);

  cpu_start = process_seconds ();
  wall_start = g_get_monotonic_time ();
  g_timeout_add (2, feed_cb, &feeder);
  while (feeder.next < deltas->len)
    g_main_context_iteration (NULL, TRUE);
  relay_markdown_view_flush (harness.view);
  drain_main_loop ();
  cpu = process_seconds () - cpu_start;
  wall = g_get_monotonic_time () - wall_start;

  g_print ("%u deltas (%zu bytes) at %u/s into %s: process CPU %.3f s over %.2f s wall\n",
           deltas->len, doc->len, per_second, names[target], cpu, wall / 1e6);
  harness_clear (&harness);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GString) doc = NULL;
  double whole, stream;
  guint n_frames;

  gtk_init ();
  adw_init ();

  /* RELAY_BENCH_KB and RELAY_BENCH_ONLY=render|stream|realtime narrow the run, for profilers. */
  doc = markdown_generator_document (7, (g_getenv ("RELAY_BENCH_KB")
                                         ? g_ascii_strtoull (g_getenv ("RELAY_BENCH_KB"), NULL, 10)
                                         : 100) * 1024);
  if (g_strcmp0 (g_getenv ("RELAY_BENCH_ONLY"), "stream") == 0)
    {
      bench_one_render (doc);
      stream = bench_stream (doc, 10, 8, &n_frames);
      g_print ("streamed: %.3f s\n", stream);
      print_phases ();
      return 0;
    }
  if (g_strcmp0 (g_getenv ("RELAY_BENCH_ONLY"), "realtime") == 0)
    {
      bench_one_render (doc);
      bench_realtime (500, TARGET_VIEW);
      return 0;
    }
  if (g_strcmp0 (g_getenv ("RELAY_BENCH_ONLY"), "render") == 0)
    {
      whole = bench_one_render (doc);
      g_print ("one render: %.3f s\n", whole);
      print_phases ();
      return 0;
    }

  /* Warm up: fonts, languages, CSS. */
  bench_one_render (doc);
  memset (phase_seconds, 0, sizeof phase_seconds);

  whole = bench_one_render (doc);
  g_print ("100 KB reply (%zu bytes), one render (set_text + layout + snapshot): %.3f s\n",
           doc->len, whole);
  print_phases ();

  stream = bench_stream (doc, 10, 8, &n_frames);
  g_print ("streamed in 10-byte deltas, 8 per frame (500/s), %u frames: %.3f s = %.2fx one render "
           "(target 2x)\n", n_frames, stream, stream / whole);
  print_phases ();

  stream = bench_stream (doc, 10, 80, &n_frames);
  g_print ("streamed in 10-byte deltas, 80 per frame (5000/s), %u frames: %.3f s = %.2fx "
           "one render\n",
           n_frames, stream, stream / whole);

  g_print ("(target for the view: < 0.5 s)\n");
  bench_realtime (500, TARGET_VIEW);
  bench_realtime (500, TARGET_VIEW_FOLLOWING);
  bench_realtime (500, TARGET_NOTHING);

  return 0;
}
