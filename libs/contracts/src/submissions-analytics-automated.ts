import { z } from 'zod';
import { defineSubject } from './subject';
import { ObjectRefSchema } from './transfer';

/**
 * analytics_automated (A_A) as the submissions service serves it (research A): job discovery, batches of
 * submissions run through the jobs service, and their result files. Shapes are A_A's serializers'.
 */

/** A_A's states, for a submission and for its batch (A_A's "Crash" is never set, so never sent). */
export const AaStateSchema = z.enum(['Submitted', 'Running', 'Complete', 'Error']);
export type AaState = z.infer<typeof AaStateSchema>;

/** One result file of a submission (`ResultSerializer`). `data_path` is `/submissions/<file name>`. */
export const AaResultSchema = z.object({
  task: z.number().int(),
  name: z.string(),
  message: z.string(),
  step: z.number().int(),
  data_path: z.string(),
});

/** `SubmissionOutputSerializer`: `GET submission/single/<UUID>` and each entry of a batch. */
export const AaSubmissionSchema = z.object({
  submission_name: z.string(),
  job_name: z.string(),
  UUID: z.string(),
  state: AaStateSchema,
  last_message: z.string(),
  email: z.string().nullable(),
  input_file: z.string(),
  modified: z.string(),
  results: z.array(AaResultSchema),
});
export type AaSubmission = z.infer<typeof AaSubmissionSchema>;

/** `BatchSerializer`: `GET submission/<UUID>`. */
export const AaBatchSchema = z.object({
  UUID: z.string(),
  state: AaStateSchema,
  submissions: z.array(AaSubmissionSchema),
});
export type AaBatch = z.infer<typeof AaBatchSchema>;

/**
 * `JobDetailSerializer`: `GET job/<name>`. Helixgate tasks have no A_A software configuration, so `configuration`
 * is always empty.
 */
export const AaJobDetailSchema = z.object({
  name: z.string(),
  steps: z.array(z.object({ task: z.object({ configuration: z.array(z.never()) }), ordering: z.number().int() })),
});

const Uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
/** A result or input file name as `data_path` gives it: the submission's UUID, then letters, digits, _ . - */
export const AaFileNameSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}[A-Za-z0-9_.-]{0,200}$/i);

/** The error code of A_A's form errors; their details are the body's `error` object, `{field: [messages]}`. */
export const AA_FORM_ERRORS = 'form_errors';

/** The error code of DRF's own errors, whose body is `{"detail": message}` ("Not found.", "Invalid page."). */
export const AA_DETAIL = 'drf_detail';

/** Largest `input_data` a submission takes (A_A leaves it to the web server). */
export const AA_INPUT_MAX_BYTES = 256 * 1024 ** 2;
/**
 * Most jobs one POST may name (`job=a,b,…`): each is a submission, a copy of the upload and a run, and the batch
 * lists them all, so one POST must not make thousands. A_A has no such limit; it checks its queue once per POST.
 */
export const AA_MAX_JOBS_PER_SUBMISSION = 20;

export const AaSubjects = {
  /** `{"jobs": [<A_A endpoint string per job>]}` over the job definitions A_A lists. */
  endpoints: defineSubject('submissions.aa-jobs.endpoints.v1', z.object({}), z.object({ jobs: z.array(z.string()) })),
  /** Every listed job as `{pk, name}`, in pk order (the gateway pages them as A_A's `job/`). */
  listJobs: defineSubject(
    'submissions.aa-jobs.list.v1',
    z.object({}),
    z.array(z.object({ pk: z.number().int(), name: z.string() })),
  ),
  getJob: defineSubject('submissions.aa-jobs.get.v1', z.object({ name: z.string().max(200) }), AaJobDetailSchema),
  /** Average seconds from submission to last change, by job name, over the latest 5,000 submissions. */
  jobTimes: defineSubject('submissions.aa-jobs.times.v1', z.object({}), z.record(z.number().int().nullable())),
  /**
   * A multipart `POST submission/`: the form's text fields in order (repeats kept), the `input_data` file parked
   * in the transfer bucket (absent when the form had none), and the client's address (A_A's per-IP queue
   * limits). A_A's checks run in A_A's order; 201 `{"UUID": <batch>, "submission_name": …}`.
   */
  submit: defineSubject(
    'submissions.aa-batches.submit.v1',
    z.object({
      fields: z.array(z.tuple([z.string().max(1000), z.string().max(100_000)])).max(1000),
      input: z.object({ fileName: z.string().max(1000), ref: ObjectRefSchema }).optional(),
      client: z.string().max(100),
      /** The public URL of `/analytics_automated/`, for the e-mail's link and the jobs' own links. */
      baseUri: z.string().url().max(500),
    }),
    z.object({ UUID: z.string(), submission_name: z.string() }),
  ),
  getBatch: defineSubject('submissions.aa-batches.get.v1', z.object({ uuid: Uuid }), AaBatchSchema),
  getSubmission: defineSubject('submissions.aa-submissions.get.v1', z.object({ uuid: Uuid }), AaSubmissionSchema),
  /** Where the bytes of an input or result file are (in the jobs' file bucket), for the gateway to stream. */
  getFile: defineSubject(
    'submissions.aa-files.get.v1',
    z.object({ name: AaFileNameSchema }),
    z.object({ name: z.string(), ref: ObjectRefSchema }),
  ),
};
