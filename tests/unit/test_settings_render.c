/* test_settings_render.c — the settings templates: strings of the appended language block merge with
 * the old ones, and hostile values (template text, preview, users, history) are escaped. */
#include "unit.h"
#include "app.h"
#include "render.h"

#include <stdlib.h>

static struct app sapp;
static struct module smod = { "settings", 0, NULL, 0, NULL };

static int setup(void)
{
	if (sapp.lang[0])
		return 0;
	sapp.module = &smod;
	snprintf(sapp.tmpl_dir, sizeof sapp.tmpl_dir, "%s/templates", getenv("CRM_ROOT") ? getenv("CRM_ROOT") : ".");
	return lang_load(&sapp);
}

static void req_init(struct req *r, const char *lang)
{
	memset(r, 0, sizeof *r);
	r->app = &sapp;
	r->lang = lang;
	r->path = strdup("/settings");
	r->who.kind = AUTH_SESSION;
	r->who.roles = ROLE_ADMIN;
	strcpy(r->who.login, "admin");
	strcpy(r->who.csrf, "csrf-token");
}

TEST(settings_strings_of_both_blocks_are_there_in_both_languages)
{
	struct req r;
	CHECK(setup() == 0);
	req_init(&r, "en");
	CHECK_STR(lang_str(&r, "Settings.Title"), "Settings");
	CHECK_STR(lang_str(&r, "Settings.Tab.Rules"), "Contact rules");
	CHECK_STR(lang_str(&r, "Settings.TmplName.portal_access"), "Registration and access data");
	req_free(&r);
	req_init(&r, "it");
	CHECK_STR(lang_str(&r, "Settings.Title"), "Impostazioni");
	CHECK_STR(lang_str(&r, "Settings.Tab.Rules"), "Regole contatti");
	req_free(&r);
}

TEST(settings_template_page_escapes_text_preview_and_errors)
{
	struct req r;
	const char *evil = "<script>alert(1)</script>";
	CHECK(setup() == 0);
	req_init(&r, "en");
	page_set(&r, "Settings.Tab", "templates");
	page_set(&r, "Tmpl.id", "1");
	page_set(&r, "Tmpl.code", "portal_access");
	page_set(&r, "Tmpl.language", "en");
	page_set(&r, "Form.subject", evil);
	page_set(&r, "Form.body", "</textarea><script>alert(1)</script>");
	page_set(&r, "Form.Errors.body", "Unknown placeholder for this template: {{<img src=x onerror=alert(1)>}}");
	page_set(&r, "Placeholders.0", "contact.first_name");
	page_set(&r, "Preview.Shown", "1");
	page_set(&r, "Preview.Subject", evil);
	page_set(&r, "Preview.Body", evil);
	page_set(&r, "Preview.ContactName", evil);
	CHECK(page_render(&r, 200, "settings/template_form.cs") == 0);
	CHECK(r.resp.body.data && strstr(r.resp.body.data, "id=\"preview-body\"") != NULL);
	CHECK(strstr(r.resp.body.data, "<script>") == NULL);
	CHECK(strstr(r.resp.body.data, "</textarea><script>") == NULL);
	CHECK(strstr(r.resp.body.data, "<img src=x") == NULL);
	CHECK(strstr(r.resp.body.data, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
	CHECK(strstr(r.resp.body.data, "{{contact.first_name}}") != NULL);
	CHECK(strstr(r.resp.body.data, "aria-current=\"page\">Email templates</a>") != NULL);
	req_free(&r);
}

TEST(settings_user_and_history_pages_escape_values)
{
	struct req r;
	const char *evil = "\"><script>alert(1)</script>";
	CHECK(setup() == 0);
	req_init(&r, "en");
	page_set(&r, "Form.Id", "7");
	page_set(&r, "Form.login", evil);
	page_set(&r, "Form.display_name", evil);
	page_set(&r, "Form.Roles.crm_admin", "1");
	page_set(&r, "Form.Roles.crm_sales", "0");
	page_set(&r, "Target.login", evil);
	page_set(&r, "Tokens.0.id", "3");
	page_set(&r, "Tokens.0.label", evil);
	page_set(&r, "Secret.Label", "New API token:");
	page_set(&r, "Secret.Value", "crm_0123");
	CHECK(page_render(&r, 200, "settings/user_form.cs") == 0);
	CHECK(r.resp.body.data && strstr(r.resp.body.data, "<script>") == NULL);
	CHECK(strstr(r.resp.body.data, "name=\"roles\" value=\"crm_admin\" checked") != NULL);
	CHECK(strstr(r.resp.body.data, "name=\"roles\" value=\"crm_sales\">") != NULL);
	CHECK(strstr(r.resp.body.data, "/settings/users/7/tokens/3/revoke") != NULL);
	req_free(&r);
	req_init(&r, "it");
	page_set(&r, "History.Shown", "1");
	page_set(&r, "History.Rows.0.actor", evil);
	page_set(&r, "History.Rows.0.area", "users");
	page_set(&r, "History.Rows.0.action", "deactivate");
	page_set(&r, "History.Rows.0.details", evil);
	CHECK(page_render(&r, 200, "settings/history.cs") == 0);
	CHECK(r.resp.body.data && strstr(r.resp.body.data, "<script>") == NULL);
	CHECK(strstr(r.resp.body.data, "disattivato") != NULL);
	req_free(&r);
}

TEST(settings_rules_page_lists_groups_as_alternatives)
{
	struct req r;
	CHECK(setup() == 0);
	req_init(&r, "en");
	page_set(&r, "Rules.Fields.0.name", "first_name");
	page_set(&r, "Rules.Fields.0.mandatory", "1");
	page_set(&r, "Rules.Fields.0.group", "2");
	page_set(&r, "Rules.GroupNumbers.1", "1");
	page_set(&r, "Rules.GroupNumbers.2", "2");
	page_set(&r, "Rules.Groups.1.0", "email");
	page_set(&r, "Rules.Groups.1.1", "work_phone");
	page_set(&r, "Rules.Groups.2.0", "first_name");
	CHECK(page_render(&r, 200, "settings/rules.cs") == 0);
	CHECK(r.resp.body.data && strstr(r.resp.body.data, "<li>Email or Work phone</li>") != NULL);
	CHECK(strstr(r.resp.body.data, "value=\"first_name\" checked") != NULL);
	CHECK(strstr(r.resp.body.data, "<option value=\"2\" selected>Group 2</option>") != NULL);
	req_free(&r);
}
