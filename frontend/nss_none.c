/* rt is linked static-pie (CMakeLists.txt), and glibc's name-service functions would then
   load the shared NSS modules at run time.  rt resolves no host, service or protocol
   name: libnl-3's address and protocol helpers (nl_addr_info, nl_ip_proto2str,
   nl_str2ip_proto) are the only references, and rt calls none of them.  These stand in so
   that the static link pulls no NSS code; they fail as a resolver without a name service
   does. */
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <stddef.h>

int
getaddrinfo (const char *node, const char *service, const struct addrinfo *hints,
             struct addrinfo **res)
{
  (void) node, (void) service, (void) hints;
  *res = NULL;
  return EAI_FAIL;
}

void
freeaddrinfo (struct addrinfo *res)
{
  (void) res;
}

struct protoent *
getprotobyname (const char *name)
{
  (void) name;
  errno = ENOENT;
  return NULL;
}

struct protoent *
getprotobynumber (int proto)
{
  (void) proto;
  errno = ENOENT;
  return NULL;
}
