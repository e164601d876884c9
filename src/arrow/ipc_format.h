/* Numbers from Apache Arrow's format/Schema.fbs, format/Message.fbs and format/File.fbs that
 * the IPC readers and writers share: flatbuffer field ids (a union takes two ids: its type,
 * then its value) and enum values. Internal to the arrow module. */
#ifndef REEL_ARROW_IPC_FORMAT_H
#define REEL_ARROW_IPC_FORMAT_H

/* Nesting levels below the schema (a column is depth 1) the reader accepts and the writer
 * produces; deeper trees are REEL_LIMIT. Also bounds the recursion of both. */
#define REEL__IPC_MAX_DEPTH 64

#define REEL__IPC_CONTINUATION 0xFFFFFFFFu

/* The IPC file format's magic: at the start (padded to 8 bytes) and at the very end. */
#define REEL__IPC_FILE_MAGIC "ARROW1"
#define REEL__IPC_FILE_MAGIC_LEN 6

enum {
    /* MetadataVersion */
    REEL__IPC_V4 = 3,
    REEL__IPC_V5 = 4,

    /* union MessageHeader */
    REEL__IPC_HEADER_SCHEMA = 1,
    REEL__IPC_HEADER_DICTIONARY_BATCH = 2,
    REEL__IPC_HEADER_RECORD_BATCH = 3,
    REEL__IPC_HEADER_TENSOR = 4,
    REEL__IPC_HEADER_SPARSE_TENSOR = 5,

    /* table Message */
    REEL__IPC_MESSAGE_VERSION = 0,
    REEL__IPC_MESSAGE_HEADER_TYPE = 1,
    REEL__IPC_MESSAGE_HEADER = 2,
    REEL__IPC_MESSAGE_BODY_LENGTH = 3,
    REEL__IPC_MESSAGE_CUSTOM_METADATA = 4,

    /* table Schema */
    REEL__IPC_SCHEMA_ENDIANNESS = 0,
    REEL__IPC_SCHEMA_FIELDS = 1,
    REEL__IPC_SCHEMA_CUSTOM_METADATA = 2,
    REEL__IPC_SCHEMA_FEATURES = 3,

    /* table Field */
    REEL__IPC_FIELD_NAME = 0,
    REEL__IPC_FIELD_NULLABLE = 1,
    REEL__IPC_FIELD_TYPE_TYPE = 2,
    REEL__IPC_FIELD_TYPE = 3,
    REEL__IPC_FIELD_DICTIONARY = 4,
    REEL__IPC_FIELD_CHILDREN = 5,
    REEL__IPC_FIELD_CUSTOM_METADATA = 6,

    /* table DictionaryEncoding (Field.dictionary) */
    REEL__IPC_DICT_ID = 0,         /* long */
    REEL__IPC_DICT_INDEX_TYPE = 1, /* Int table; absent = signed 32-bit */
    REEL__IPC_DICT_IS_ORDERED = 2, /* bool */
    REEL__IPC_DICT_KIND = 3,       /* short DictionaryKind: only DenseArray (0) exists */

    /* table DictionaryBatch */
    REEL__IPC_DICT_BATCH_ID = 0,       /* long */
    REEL__IPC_DICT_BATCH_DATA = 1,     /* RecordBatch table */
    REEL__IPC_DICT_BATCH_IS_DELTA = 2, /* bool */

    /* table KeyValue */
    REEL__IPC_KV_KEY = 0,
    REEL__IPC_KV_VALUE = 1,

    /* table RecordBatch; struct FieldNode and struct Buffer are 16 bytes each */
    REEL__IPC_BATCH_LENGTH = 0,
    REEL__IPC_BATCH_NODES = 1,
    REEL__IPC_BATCH_BUFFERS = 2,
    REEL__IPC_BATCH_COMPRESSION = 3,
    REEL__IPC_BATCH_VARIADIC_COUNTS = 4,

    /* table Footer (File.fbs); struct Block is {offset: long, metaDataLength: int, 4 bytes
     * of padding, bodyLength: long}, 24 bytes aligned to 8 */
    REEL__IPC_FOOTER_VERSION = 0,
    REEL__IPC_FOOTER_SCHEMA = 1,
    REEL__IPC_FOOTER_DICTIONARIES = 2,
    REEL__IPC_FOOTER_RECORD_BATCHES = 3,
    REEL__IPC_FOOTER_CUSTOM_METADATA = 4,
    REEL__IPC_BLOCK_SIZE = 24,

    /* union Type */
    REEL__IPC_TYPE_NONE = 0,
    REEL__IPC_TYPE_NULL = 1,
    REEL__IPC_TYPE_INT = 2,
    REEL__IPC_TYPE_FLOATING_POINT = 3,
    REEL__IPC_TYPE_BINARY = 4,
    REEL__IPC_TYPE_UTF8 = 5,
    REEL__IPC_TYPE_BOOL = 6,
    REEL__IPC_TYPE_DECIMAL = 7,
    REEL__IPC_TYPE_DATE = 8,
    REEL__IPC_TYPE_TIME = 9,
    REEL__IPC_TYPE_TIMESTAMP = 10,
    REEL__IPC_TYPE_INTERVAL = 11,
    REEL__IPC_TYPE_LIST = 12,
    REEL__IPC_TYPE_STRUCT = 13,
    REEL__IPC_TYPE_UNION = 14,
    REEL__IPC_TYPE_FIXED_SIZE_BINARY = 15,
    REEL__IPC_TYPE_FIXED_SIZE_LIST = 16,
    REEL__IPC_TYPE_MAP = 17,
    REEL__IPC_TYPE_DURATION = 18,
    REEL__IPC_TYPE_LARGE_BINARY = 19,
    REEL__IPC_TYPE_LARGE_UTF8 = 20,
    REEL__IPC_TYPE_LARGE_LIST = 21,
    REEL__IPC_TYPE_RUN_END_ENCODED = 22,
    REEL__IPC_TYPE_BINARY_VIEW = 23,
    REEL__IPC_TYPE_UTF8_VIEW = 24,
    REEL__IPC_TYPE_LIST_VIEW = 25,
    REEL__IPC_TYPE_LARGE_LIST_VIEW = 26,

    /* fields of the type tables (each has at most two) */
    REEL__IPC_INT_BIT_WIDTH = 0,   /* int */
    REEL__IPC_INT_IS_SIGNED = 1,   /* bool */
    REEL__IPC_FLOAT_PRECISION = 0, /* short: HALF, SINGLE, DOUBLE */
    REEL__IPC_DATE_UNIT = 0,       /* short: DAY, MILLISECOND (default) */
    REEL__IPC_TIME_UNIT = 0,       /* short TimeUnit, default MILLISECOND */
    REEL__IPC_TIME_BIT_WIDTH = 1,  /* int, default 32 */
    REEL__IPC_TIMESTAMP_UNIT = 0,  /* short TimeUnit, default SECOND */
    REEL__IPC_TIMESTAMP_TIMEZONE = 1,
    REEL__IPC_DURATION_UNIT = 0,     /* short TimeUnit, default MILLISECOND */
    REEL__IPC_FIXED_SIZE = 0,        /* FixedSizeList.listSize, FixedSizeBinary.byteWidth */
    REEL__IPC_UNION_MODE = 0,        /* short: Sparse, Dense */
    REEL__IPC_UNION_TYPE_IDS = 1,    /* [int] */
    REEL__IPC_DECIMAL_PRECISION = 0, /* int */
    REEL__IPC_DECIMAL_SCALE = 1,     /* int */
    REEL__IPC_DECIMAL_BIT_WIDTH = 2, /* int, default 128 */
    REEL__IPC_MAP_KEYS_SORTED = 0,   /* bool */

    REEL__IPC_PRECISION_HALF = 0,
    REEL__IPC_PRECISION_SINGLE = 1,
    REEL__IPC_PRECISION_DOUBLE = 2,
    REEL__IPC_DATE_DAY = 0,
    REEL__IPC_DATE_MILLISECOND = 1,
    REEL__IPC_UNION_SPARSE = 0,
    REEL__IPC_UNION_DENSE = 1,
    REEL__IPC_ENDIANNESS_LITTLE = 0,
};

#endif
