/* relay-welcome-page.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RELAY_TYPE_WELCOME_PAGE (relay_welcome_page_get_type ())

typedef enum
{
  RELAY_WELCOME_FIELD_NONE,
  RELAY_WELCOME_FIELD_KEY,
  RELAY_WELCOME_FIELD_BASE_URL,
} RelayWelcomeField;

G_DECLARE_FINAL_TYPE (RelayWelcomePage, relay_welcome_page, RELAY, WELCOME_PAGE, AdwBin)

GtkWidget *relay_welcome_page_new          (void);
void       relay_welcome_page_set_base_url (RelayWelcomePage *self,
                                            const char       *base_url);
void       relay_welcome_page_set_busy     (RelayWelcomePage *self,
                                            gboolean          busy);
void       relay_welcome_page_set_error    (RelayWelcomePage *self,
                                            RelayWelcomeField field,
                                            const char       *title,
                                            const char       *message);
void       relay_welcome_page_reset        (RelayWelcomePage *self);

G_END_DECLS
