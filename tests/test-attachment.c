/* test-attachment.c: files for the model, their types, and data: URIs both ways.
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "relay-attachment.h"
#include "relay-error.h"

static const guint8 png_header[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13 };
static const guint8 jpeg_header[] = { 0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F' };
static const char webp_header[] = "RIFF\x10\0\0\0WEBPVP8 ";
static const char gif_header[] = "GIF89a\x01\0\x01\0";
static const char pdf_header[] = "%PDF-1.7\n";

static void
test_sniff (void)
{
  RelayAttachmentKind kind;

  g_assert_cmpstr (relay_attachment_sniff_mime_type (png_header, sizeof png_header), ==, "image/png");
  g_assert_cmpstr (relay_attachment_sniff_mime_type (jpeg_header, sizeof jpeg_header), ==, "image/jpeg");
  g_assert_cmpstr (relay_attachment_sniff_mime_type ((const guint8 *) webp_header, 16), ==, "image/webp");
  g_assert_cmpstr (relay_attachment_sniff_mime_type ((const guint8 *) gif_header, 10), ==, "image/gif");
  g_assert_cmpstr (relay_attachment_sniff_mime_type ((const guint8 *) pdf_header, 9), ==, "application/pdf");
  g_assert_null (relay_attachment_sniff_mime_type ((const guint8 *) "hello", 5));
  g_assert_null (relay_attachment_sniff_mime_type (png_header, 4));
  g_assert_null (relay_attachment_sniff_mime_type (NULL, 0));

  g_assert_true (relay_attachment_kind_for_mime_type ("IMAGE/PNG", &kind));
  g_assert_cmpint (kind, ==, RELAY_ATTACHMENT_KIND_IMAGE);
  g_assert_true (relay_attachment_kind_for_mime_type ("application/pdf", &kind));
  g_assert_cmpint (kind, ==, RELAY_ATTACHMENT_KIND_PDF);
  g_assert_false (relay_attachment_kind_for_mime_type ("image/tiff", &kind));
  g_assert_false (relay_attachment_kind_for_mime_type (NULL, &kind));
}

static void
test_data_uri_round_trip (void)
{
  const guint8 data[] = { 0, 1, 2, 0xfe, 0xff, 'a', 'b' };

  for (gsize n = 0; n <= sizeof data; n++)
    {
      g_autofree char *uri = relay_attachment_build_data_uri ("image/png", data, n);
      g_autofree char *expected_b64 = g_base64_encode (data, n);
      g_autofree char *expected = g_strconcat ("data:image/png;base64,", expected_b64, NULL);
      g_autofree char *mime_type = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) decoded = NULL;

      g_assert_cmpstr (uri, ==, expected);
      decoded = relay_attachment_decode_data_uri (uri, 1024, &mime_type, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (decoded, NULL), g_bytes_get_size (decoded), data, n);
      g_assert_cmpstr (mime_type, ==, "image/png");
    }
}

static void
test_data_uri_refused (void)
{
  static const struct { const char *uri; RelayError code; } cases[] = {
    { "image/png;base64,AAAA", RELAY_ERROR_INVALID_RESPONSE },
    { "data:image/png,AAAA", RELAY_ERROR_INVALID_RESPONSE },
    { "data:image/png;base64", RELAY_ERROR_INVALID_RESPONSE },
    { "data:image/png;base64,AAA", RELAY_ERROR_INVALID_RESPONSE },
    { "data:image/png;base64,AA AA", RELAY_ERROR_INVALID_RESPONSE },
    { "data:image/png;base64,AA=A", RELAY_ERROR_INVALID_RESPONSE },
    { "data:image/png;base64,A===", RELAY_ERROR_INVALID_RESPONSE },
    { "data:image/png;base64,AA%2F", RELAY_ERROR_INVALID_RESPONSE },
    { "data:image/png;base64,AAAAAAAAAAAAAAAA", RELAY_ERROR_TOO_LARGE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = relay_attachment_decode_data_uri (cases[i].uri, 8, NULL, &error);

      g_assert_null (bytes);
      g_assert_error (error, RELAY_ERROR, cases[i].code);
    }
}

static void
test_new_for_bytes (void)
{
  g_autoptr(GBytes) png = g_bytes_new_static (png_header, sizeof png_header);
  g_autoptr(GBytes) text = g_bytes_new_static ("hello", 5);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayAttachment) attachment = NULL;
  g_autofree char *uri = NULL;

  /* The bytes say PNG, whatever the caller thought. */
  attachment = relay_attachment_new_for_bytes (png, "photo.jpg", "image/jpeg", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relay_attachment_get_mime_type (attachment), ==, "image/png");
  g_assert_cmpint (relay_attachment_get_kind (attachment), ==, RELAY_ATTACHMENT_KIND_IMAGE);
  g_assert_cmpstr (relay_attachment_get_filename (attachment), ==, "photo.jpg");
  g_assert_null (relay_attachment_get_url (attachment));
  g_assert_true (relay_attachment_get_bytes (attachment) == png);
  uri = relay_attachment_dup_request_url (attachment, NULL, &error);
  g_assert_true (g_str_has_prefix (uri, "data:image/png;base64,iVBORw0KGgo"));
  g_clear_object (&attachment);

  attachment = relay_attachment_new_for_bytes (text, "notes.txt", NULL, &error);
  g_assert_null (attachment);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "notes.txt"));
  g_clear_error (&error);

  {
    gsize big_size = RELAY_ATTACHMENT_MAX_SIZE + 1;
    g_autoptr(GBytes) big = g_bytes_new_take (g_malloc0 (big_size), big_size);

    attachment = relay_attachment_new_for_bytes (big, "huge.pdf", "application/pdf", &error);
    g_assert_null (attachment);
    g_assert_error (error, RELAY_ERROR, RELAY_ERROR_TOO_LARGE);
  }
}

static void
test_new_for_url (void)
{
  static const struct { const char *url; gboolean ok; } urls[] = {
    { "https://example.com/cat.png", TRUE },
    { "HTTPS://EXAMPLE.COM/x", TRUE },
    { "http://127.0.0.1:8080/images/1.png", TRUE },
    { "http://localhost/a.png", TRUE },
    { "http://[::1]:9/a.png", TRUE },
    { "http://example.com/cat.png", FALSE },
    { "ftp://example.com/cat.png", FALSE },
    { "file:///etc/passwd", FALSE },
    { "https://", FALSE },
    { "not a url", FALSE },
    { "", FALSE },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayAttachment) pdf = relay_attachment_new_for_url ("https://bitcoin.org/bitcoin.pdf", NULL, NULL, &error);
  g_autoptr(RelayAttachment) plain = relay_attachment_new_for_url ("https://cdn.example.com/img/abc%20def?sig=1", NULL, NULL, &error);
  g_autoptr(RelayAttachment) inline_png = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(RelayAttachment) attachment = relay_attachment_new_for_url (urls[i].url, NULL, NULL, &local_error);

      if (urls[i].ok)
        g_assert_no_error (local_error);
      else
        g_assert_error (local_error, RELAY_ERROR, RELAY_ERROR_INVALID_ARGUMENT);
      g_assert_true ((attachment != NULL) == urls[i].ok);
    }

  g_assert_no_error (error);
  g_assert_cmpint (relay_attachment_get_kind (pdf), ==, RELAY_ATTACHMENT_KIND_PDF);
  g_assert_cmpstr (relay_attachment_get_filename (pdf), ==, "bitcoin.pdf");
  g_assert_cmpstr (relay_attachment_get_mime_type (pdf), ==, "application/pdf");
  g_assert_cmpint (relay_attachment_get_kind (plain), ==, RELAY_ATTACHMENT_KIND_IMAGE);
  g_assert_null (relay_attachment_get_mime_type (plain));
  g_assert_cmpstr (relay_attachment_get_filename (plain), ==, "abc def");
  g_assert_null (relay_attachment_dup_data_uri (plain, NULL, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* A data: URI is taken apart into bytes. */
  inline_png = relay_attachment_new_for_url ("data:image/png;base64,iVBORw0KGgoAAAAN", "x.png", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (relay_attachment_get_url (inline_png));
  g_assert_cmpuint (g_bytes_get_size (relay_attachment_get_bytes (inline_png)), ==, 12);
}

static void
test_new_for_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relay-test-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "scan.PDF", NULL);
  g_autofree char *renamed = g_build_filename (dir, "picture.jpeg", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) jpeg_file = g_file_new_for_path (renamed);
  g_autoptr(GFile) text_file = g_file_new_build_filename (dir, "notes.txt", NULL);
  g_autoptr(RelayAttachment) attachment = NULL;
  g_autoptr(RelayAttachment) jpeg = NULL;
  g_autofree char *uri = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, pdf_header, sizeof pdf_header - 1, NULL));
  attachment = relay_attachment_new_for_file (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relay_attachment_get_kind (attachment), ==, RELAY_ATTACHMENT_KIND_PDF);
  g_assert_cmpstr (relay_attachment_get_filename (attachment), ==, "scan.PDF");
  g_assert_true (relay_attachment_get_file (attachment) == file);
  uri = relay_attachment_dup_data_uri (attachment, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (uri, ==, "data:application/pdf;base64,JVBERi0xLjcK");

  /* Named JPEG, holding a PNG: the URI says what the file is. */
  g_assert_true (g_file_set_contents (renamed, (const char *) png_header, sizeof png_header, NULL));
  jpeg = relay_attachment_new_for_file (jpeg_file, NULL, &error);
  g_assert_cmpstr (relay_attachment_get_mime_type (jpeg), ==, "image/jpeg");
  g_clear_pointer (&uri, g_free);
  uri = relay_attachment_dup_data_uri (jpeg, NULL, &error);
  g_assert_true (g_str_has_prefix (uri, "data:image/png;base64,"));

  g_assert_null (relay_attachment_new_for_file (text_file, NULL, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  /* Cancelled reads say so, as GIO does. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    g_assert_null (relay_attachment_dup_data_uri (attachment, cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
  }

  g_unlink (path);
  g_unlink (renamed);
  g_assert_null (relay_attachment_dup_data_uri (attachment, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "scan.PDF"));
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attachment/sniff", test_sniff);
  g_test_add_func ("/attachment/data-uri-round-trip", test_data_uri_round_trip);
  g_test_add_func ("/attachment/data-uri-refused", test_data_uri_refused);
  g_test_add_func ("/attachment/new-for-bytes", test_new_for_bytes);
  g_test_add_func ("/attachment/new-for-url", test_new_for_url);
  g_test_add_func ("/attachment/new-for-file", test_new_for_file);

  return g_test_run ();
}
