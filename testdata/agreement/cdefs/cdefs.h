/* A header for the agreement corpus's #include scripts. */
#define CDEFS_LIMIT 64
#define CDEFS_NAME "cdefs"

enum cdefs_state { CDEFS_IDLE = 0, CDEFS_BUSY = 2, CDEFS_DONE };

struct cdefs_req {
	unsigned long id;
	int state;
	union {
		unsigned int flags;
		unsigned char raw[4];
	};
	char tag[16];
};
