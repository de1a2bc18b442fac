"""The two contests of the domain notes as presets: fields, age groups, criteria, documents and rules.
Every value is only a default; an edition created from a preset edits all of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class DocumentPreset:
    name: str
    required: bool
    accepted: str
    max_mb: int
    description: str = ""


@dataclass(frozen=True)
class Preset:
    kind: str
    name: str
    code_prefix: str
    fields: tuple[str, ...]
    criteria: tuple[tuple[str, str, int], ...]  # name, description, max points
    documents: tuple[DocumentPreset, ...]
    max_authors: int
    max_teachers: int
    age_groups: tuple[str, ...] = ()
    #: Youth: ages 6 to 18 on the cut-off date (31/7 of the year).
    min_age: int | None = None
    max_age: int | None = None
    extra: dict = field(default_factory=dict)

    def birth_window(self, year: int) -> tuple[date | None, date | None]:
        """The birth-date window for the ages on the 31/7 cut-off, as the rules write it: for 2023, ages 6 to 18
        means born between 31/7/2005 and 31/7/2017."""
        if self.min_age is None or self.max_age is None:
            return None, None
        return date(year - self.max_age, 7, 31), date(year - self.min_age, 7, 31)


INNOVATION = Preset(
    kind="innovation",
    name="Hội thi Sáng tạo kỹ thuật",
    code_prefix="STKT",
    fields=(
        "Công nghệ thông tin, điện tử, viễn thông",
        "Cơ khí, tự động hóa, xây dựng, giao thông vận tải",
        "Vật liệu, hóa học, năng lượng",
        "Nông, lâm, thủy sản, tài nguyên và môi trường",
        "Y, dược",
        "Giáo dục và đào tạo",
        "Cải cách hành chính, quản lý kinh tế, văn hóa, xã hội",
    ),
    criteria=(
        ("Tính mới, tính sáng tạo", "Giải pháp mới so với trình độ kỹ thuật trong tỉnh và cả nước.", 30),
        ("Khả năng áp dụng", "Đã được áp dụng hoặc có khả năng áp dụng rộng rãi trong thực tế.", 30),
        ("Hiệu quả kinh tế - kỹ thuật - xã hội", "Lợi ích kinh tế, kỹ thuật, xã hội mang lại.", 40),
    ),
    documents=(
        DocumentPreset("Đơn đăng ký dự thi", True, "pdf,word", 10),
        DocumentPreset("Bản mô tả giải pháp", True, "pdf,word", 20),
        DocumentPreset("Xác nhận áp dụng", True, "pdf,image", 10, "Xác nhận của đơn vị đã áp dụng giải pháp."),
        DocumentPreset("Bản vẽ, hình ảnh minh họa", False, "pdf,image,zip", 50),
        DocumentPreset("Video giới thiệu", False, "video", 200),
    ),
    max_authors=10,
    max_teachers=0,
)

YOUTH = Preset(
    kind="youth",
    name="Cuộc thi Sáng tạo dành cho thanh thiếu niên nhi đồng",
    code_prefix="STTN",
    fields=(
        "Đồ dùng học tập",
        "Phần mềm tin học",
        "Sản phẩm thân thiện với môi trường",
        "Dụng cụ gia đình, đồ chơi",
        "Giải pháp kỹ thuật ứng phó biến đổi khí hậu, bảo vệ môi trường, phát triển kinh tế",
    ),
    criteria=(
        ("Tính mới, tính sáng tạo", "", 30),
        ("Ý tưởng và công sức của tác giả", "", 20),
        ("Khả năng áp dụng và hiệu quả", "", 30),
        ("An toàn, vật liệu và trình bày", "", 20),
    ),
    documents=(
        DocumentPreset("Phiếu đăng ký dự thi", True, "pdf,word", 10),
        DocumentPreset("Bản thuyết minh", True, "pdf,word", 20),
        DocumentPreset("Ảnh hoặc video sản phẩm, mô hình", True, "image,video,zip", 200),
        DocumentPreset("Giấy khai sinh hoặc xác nhận của nhà trường", False, "pdf,image", 10),
    ),
    max_authors=5,
    max_teachers=2,
    age_groups=("Nhi đồng (tiểu học)", "Thiếu niên (THCS)", "Thanh niên (THPT)"),
    min_age=6,
    max_age=18,
)

PRESETS = {p.kind: p for p in (INNOVATION, YOUTH)}


def criterion_points(preset: Preset) -> Decimal:
    return sum((Decimal(points) for _name, _desc, points in preset.criteria), Decimal(0))
