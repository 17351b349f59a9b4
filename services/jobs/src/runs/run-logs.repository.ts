import { InjectModel } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { type LogDocument, RUN_LOG } from './run-logs.schema';

/** logs: a run's log lines in batches, each at the place (seq) of its first line. */
@Injectable()
export class RunLogsRepository {
  constructor(@InjectModel(RUN_LOG) private readonly logs: Model<LogDocument>) {}

  /** Appends a batch at `seq`; a duplicate-key error when another batch took that place. */
  async insert(runId: string, seq: number, lines: string[]): Promise<void> {
    await this.logs.create({ _id: `${runId}|${seq}`, runId, seq, lines });
  }

  /** The run's lines, in order. */
  async findLines(runId: string): Promise<string[]> {
    const batches = await this.logs.find({ runId }).lean<LogDocument[]>();
    return batches.sort((a, b) => a.seq - b.seq).flatMap((b) => b.lines);
  }

  async deleteOfRun(runId: string): Promise<void> {
    await this.logs.deleteMany({ runId });
  }
}
