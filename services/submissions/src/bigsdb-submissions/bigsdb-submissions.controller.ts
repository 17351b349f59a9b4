import { type ParsedRequest, SubmissionsSubjects } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { BigsdbSubmissionsService } from './bigsdb-submissions.service';

/** submissions.bigsdb-*: BIGSdb curator submissions, their messages, files and curation. */
@Controller()
export class BigsdbSubmissionsController {
  constructor(private readonly submissions: BigsdbSubmissionsService) {}

  @HandleRequest(SubmissionsSubjects.list)
  list(request: ParsedRequest<typeof SubmissionsSubjects.list>) {
    return this.submissions.list(request);
  }
  @HandleRequest(SubmissionsSubjects.create)
  create(request: ParsedRequest<typeof SubmissionsSubjects.create>) {
    return this.submissions.create(request);
  }
  @HandleRequest(SubmissionsSubjects.get)
  get(request: ParsedRequest<typeof SubmissionsSubjects.get>) {
    return this.submissions.get(request);
  }
  @HandleRequest(SubmissionsSubjects.delete)
  delete(request: ParsedRequest<typeof SubmissionsSubjects.delete>) {
    return this.submissions.delete(request);
  }
  @HandleRequest(SubmissionsSubjects.listMessages)
  listMessages(request: ParsedRequest<typeof SubmissionsSubjects.listMessages>) {
    return this.submissions.listMessages(request);
  }
  @HandleRequest(SubmissionsSubjects.addMessage)
  addMessage(request: ParsedRequest<typeof SubmissionsSubjects.addMessage>) {
    return this.submissions.addMessage(request);
  }
  @HandleRequest(SubmissionsSubjects.listFiles)
  listFiles(request: ParsedRequest<typeof SubmissionsSubjects.listFiles>) {
    return this.submissions.listFiles(request);
  }
  @HandleRequest(SubmissionsSubjects.uploadFile)
  uploadFile(request: ParsedRequest<typeof SubmissionsSubjects.uploadFile>) {
    return this.submissions.uploadFile(request);
  }
  @HandleRequest(SubmissionsSubjects.downloadFile)
  downloadFile(request: ParsedRequest<typeof SubmissionsSubjects.downloadFile>) {
    return this.submissions.downloadFile(request);
  }
  @HandleRequest(SubmissionsSubjects.deleteFile)
  deleteFile(request: ParsedRequest<typeof SubmissionsSubjects.deleteFile>) {
    return this.submissions.deleteFile(request);
  }
  @HandleRequest(SubmissionsSubjects.curate)
  curate(request: ParsedRequest<typeof SubmissionsSubjects.curate>) {
    return this.submissions.curate(request);
  }
}
