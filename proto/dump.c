/* rt-bootstrap-dump [--json] FILE|-: decode a bootstrap blob (rt's, or one captured from
   runc with scripts/capture-runc-blob.sh) strictly, and print the header and every
   attribute by name, in order, with its offset and payload length. */
#define _GNU_SOURCE
#include "bootstrap.h"
#include "util.h"

#include <getopt.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PROG "rt-bootstrap-dump"

/* One attribute as it sits in the blob: the decoder gives fields, the dump wants order. */
struct raw_attr
{
  size_t off;
  unsigned type;
  const unsigned char *p;
  size_t n; /* payload length, nla_len - NLA_HDRLEN */
};

/* Walk a blob that rt_bootstrap_decode() has already accepted. */
static bool
next_attr (const unsigned char *buf, size_t len, size_t *off, struct raw_attr *a)
{
  uint16_t nla_len, type;

  if (len - *off < NLA_HDRLEN)
    return false;
  nla_len = rt_blob_u16 (buf + *off);
  type = rt_blob_u16 (buf + *off + 2);
  *a = (struct raw_attr){
    .off = *off, .type = type, .p = buf + *off + NLA_HDRLEN, .n = nla_len - NLA_HDRLEN
  };
  *off += NLA_ALIGN (nla_len);
  if (*off > len)
    *off = len;
  return true;
}

/* Booleans are u8 from rt and a u32 from runc (Boolmsg). */
static bool
get_bool (const struct raw_attr *a)
{
  return a->n == 1 ? a->p[0] != 0 : rt_blob_u32 (a->p) != 0;
}

/* Strings and byte payloads without the one trailing NUL runc's Bytemsg appends. */
static size_t
text_len (const struct raw_attr *a)
{
  return a->n > 0 && a->p[a->n - 1] == '\0' ? a->n - 1 : a->n;
}

/* Length of the valid UTF-8 sequence at P (at most N bytes), 0 if there is none. */
static size_t
utf8_len (const unsigned char *p, size_t n)
{
  size_t len, i;
  unsigned char lo = 0x80, hi = 0xbf;

  if (p[0] < 0x80)
    return 1;
  if (p[0] >= 0xc2 && p[0] <= 0xdf)
    len = 2;
  else if (p[0] >= 0xe0 && p[0] <= 0xef)
    len = 3;
  else if (p[0] >= 0xf0 && p[0] <= 0xf4)
    len = 4;
  else
    return 0;
  if (p[0] == 0xe0)
    lo = 0xa0; /* overlong */
  else if (p[0] == 0xed)
    hi = 0x9f; /* surrogates */
  else if (p[0] == 0xf0)
    lo = 0x90; /* overlong */
  else if (p[0] == 0xf4)
    hi = 0x8f; /* above U+10FFFF */
  if (n < len || p[1] < lo || p[1] > hi)
    return 0;
  for (i = 2; i < len; i++)
    if (p[i] < 0x80 || p[i] > 0xbf)
      return 0;
  return len;
}

/* Text for a terminal: controls, backslashes and invalid UTF-8 as C escapes. */
static void
put_text (const unsigned char *p, size_t n)
{
  size_t i, k;

  for (i = 0; i < n; i += k)
    {
      k = utf8_len (p + i, n - i);
      if (k == 1 && p[i] == '\\')
        fputs ("\\\\", stdout);
      else if (k == 1 && (p[i] < 0x20 || p[i] == 0x7f))
        printf ("\\x%02x", p[i]);
      else if (k == 0)
        {
          printf ("\\x%02x", p[i]);
          k = 1;
        }
      else
        fwrite (p + i, 1, k, stdout);
    }
}

/* A JSON string; bytes that are not UTF-8 become U+FFFD. */
static void
put_json_string (const unsigned char *p, size_t n)
{
  size_t i, k;

  putchar ('"');
  for (i = 0; i < n; i += k)
    {
      k = utf8_len (p + i, n - i);
      if (k == 0)
        {
          fputs ("\\ufffd", stdout);
          k = 1;
        }
      else if (k > 1)
        fwrite (p + i, 1, k, stdout);
      else if (p[i] == '"' || p[i] == '\\')
        printf ("\\%c", p[i]);
      else if (p[i] == '\n')
        fputs ("\\n", stdout);
      else if (p[i] == '\t')
        fputs ("\\t", stdout);
      else if (p[i] < 0x20 || p[i] == 0x7f)
        printf ("\\u%04x", p[i]);
      else
        putchar (p[i]);
    }
  putchar ('"');
}

static void
put_json_cstring (const char *s)
{
  put_json_string ((const unsigned char *) s, strlen (s));
}

/* Each piece of P separated by SEP (a trailing SEP ends the last piece), indented. */
static void
put_text_lines (const unsigned char *p, size_t n, char sep)
{
  const unsigned char *end = p + n, *q;

  while (p < end)
    {
      q = memchr (p, sep, end - p);
      if (q == NULL)
        q = end;
      fputs ("  ", stdout);
      put_text (p, q - p);
      putchar ('\n');
      p = q < end ? q + 1 : end;
    }
}

static void
put_hex_lines (const unsigned char *p, size_t n)
{
  size_t i, j;

  for (i = 0; i < n; i += 16)
    {
      printf ("  %04zx:", i);
      for (j = i; j < i + 16; j++)
        printf (j < n ? " %02x" : "   ", j < n ? p[j] : 0);
      fputs ("  |", stdout);
      for (j = i; j < i + 16 && j < n; j++)
        putchar (p[j] >= 0x20 && p[j] < 0x7f ? p[j] : '.');
      puts ("|");
    }
}

static void
dump_text_attr (const struct raw_attr *a)
{
  size_t tn = text_len (a);
  char flags[256];

  printf ("offset %zu: %s (%u), %zu byte%s:", a->off, rt_bootstrap_attr_name ((int) a->type),
          a->type, a->n, a->n == 1 ? "" : "s");
  switch (a->type)
    {
      case RT_ATTR_CLONE_FLAGS:
        printf (" %s (0x%x)\n", rt_clone_flags_string (rt_blob_u32 (a->p), flags, sizeof flags),
                rt_blob_u32 (a->p));
        return;
      case RT_ATTR_PROTOCOL_VERSION:
        printf (" %u\n", rt_blob_u32 (a->p));
        return;
      case RT_ATTR_SETGROUP:
        printf (" %s\n", get_bool (a) ? "allow" : "deny");
        return;
      case RT_ATTR_ROOTLESS_EUID:
        printf (" %s\n", get_bool (a) ? "true" : "false");
        return;
    }
  if (tn == 0)
    {
      puts (" (empty)");
      return;
    }
  switch (a->type)
    {
      case RT_ATTR_NS_PATHS:
        putchar ('\n');
        put_text_lines (a->p, tn, ',');
        break;
      case RT_ATTR_UIDMAP:
      case RT_ATTR_GIDMAP:
      case RT_ATTR_TIME_OFFSETS:
        putchar ('\n');
        put_text_lines (a->p, tn, '\n');
        break;
      case RT_ATTR_MOUNT_SOURCES:
        putchar ('\n');
        put_hex_lines (a->p, tn);
        break;
      default: /* OOM_SCORE_ADJ, UIDMAPPATH, GIDMAPPATH */
        putchar (' ');
        put_text (a->p, tn);
        putchar ('\n');
        break;
    }
}

static void
dump_json_value (const struct raw_attr *a)
{
  const unsigned char *p = a->p, *end = a->p + text_len (a), *q;
  char flags[256];
  size_t i;

  switch (a->type)
    {
      case RT_ATTR_CLONE_FLAGS:
        printf ("%u,\"flags\":", rt_blob_u32 (p));
        put_json_cstring (rt_clone_flags_string (rt_blob_u32 (p), flags, sizeof flags));
        break;
      case RT_ATTR_PROTOCOL_VERSION:
        printf ("%u", rt_blob_u32 (p));
        break;
      case RT_ATTR_SETGROUP:
        fputs (get_bool (a) ? "\"allow\"" : "\"deny\"", stdout);
        break;
      case RT_ATTR_ROOTLESS_EUID:
        fputs (get_bool (a) ? "true" : "false", stdout);
        break;
      case RT_ATTR_NS_PATHS:
        putchar ('[');
        for (; p < end; p = q + 1)
          {
            q = memchr (p, ',', end - p);
            if (q == NULL)
              q = end;
            if (p != a->p)
              putchar (',');
            put_json_string (p, q - p);
          }
        putchar (']');
        break;
      case RT_ATTR_MOUNT_SOURCES:
        putchar ('"');
        for (i = 0; p + i < end; i++)
          printf ("%02x", p[i]);
        putchar ('"');
        break;
      default: /* UIDMAP, GIDMAP, OOM_SCORE_ADJ, UIDMAPPATH, GIDMAPPATH */
        put_json_string (p, end - p);
        break;
    }
}

static void
dump (const unsigned char *buf, size_t len, const struct rt_bootstrap *b, bool json)
{
  struct nlmsghdr hdr;
  struct raw_attr a;
  size_t off = NLMSG_HDRLEN;

  memcpy (&hdr, buf, sizeof hdr);
  if (json)
    printf ("{\"header\":{\"len\":%u,\"type\":%u,\"type_name\":\"INIT_MSG\",\"flags\":%u,"
            "\"seq\":%u,\"pid\":%u},\"attributes\":[",
            hdr.nlmsg_len, hdr.nlmsg_type, hdr.nlmsg_flags, hdr.nlmsg_seq, hdr.nlmsg_pid);
  else
    printf ("header: len %u, type INIT_MSG (%u), flags 0x%x, seq %u, pid %u\n", hdr.nlmsg_len,
            hdr.nlmsg_type, hdr.nlmsg_flags, hdr.nlmsg_seq, hdr.nlmsg_pid);
  while (next_attr (buf, len, &off, &a))
    {
      if (!json)
        {
          dump_text_attr (&a);
          continue;
        }
      printf ("%s{\"name\":\"%s\",\"type\":%u,\"offset\":%zu,\"length\":%zu,\"value\":",
              a.off == NLMSG_HDRLEN ? "" : ",", rt_bootstrap_attr_name ((int) a.type), a.type,
              a.off, a.n);
      dump_json_value (&a);
      putchar ('}');
    }
  if (json)
    puts ("]}");
  else if (!b->has_version)
    puts ("(no PROTOCOL_VERSION: not an rt blob, e.g. runc)");
}

static void
usage (FILE *f)
{
  fprintf (f, "Usage: " PROG " [--json] FILE|-\n"
              "Decode an rt (or runc) bootstrap netlink message and print it.\n"
              "\n"
              "  --json     print one JSON object\n"
              "  --help     show this help\n"
              "  --version  show the version\n");
}

int
main (int argc, char **argv)
{
  static const struct option opts[] = { { "json", no_argument, NULL, 'j' },
                                        { "help", no_argument, NULL, 'h' },
                                        { "version", no_argument, NULL, 'V' },
                                        { NULL, 0, NULL, 0 } };
  cleanup_error rt_error_t err = NULL;
  cleanup_free char *buf = NULL;
  struct rt_bootstrap b;
  char errbuf[512];
  const char *name;
  bool json = false;
  size_t len = 0;
  int c, r;

  while ((c = getopt_long (argc, argv, "", opts, NULL)) != -1)
    switch (c)
      {
        case 'j':
          json = true;
          break;
        case 'h':
          usage (stdout);
          return 0;
        case 'V':
          printf (PROG " version " RT_VERSION "\n");
          return 0;
        default:
          usage (stderr);
          return 2;
      }
  if (optind != argc - 1)
    {
      usage (stderr);
      return 2;
    }

  name = argv[optind];
  if (strcmp (name, "-") == 0)
    r = read_fd_all (STDIN_FILENO, &buf, &len, &err);
  else
    r = read_file (name, &buf, &len, &err);
  if (r < 0)
    {
      fprintf (stderr, PROG ": %s\n", err->msg);
      return 1;
    }
  if (strcmp (name, "-") == 0)
    name = "stdin";
  if (rt_bootstrap_decode (buf, len, &b, errbuf, sizeof errbuf) < 0)
    {
      fprintf (stderr, PROG ": %s: %s\n", name, errbuf);
      return 1;
    }

  dump ((const unsigned char *) buf, len, &b, json);
  if (fflush (stdout) != 0 || ferror (stdout))
    {
      perror (PROG ": write");
      return 1;
    }
  return 0;
}
